//! Webhook verification against signatures computed outside this crate.
//!
//! The `v1,` values below were computed once with Python's standard library (`hmac`,
//! `hashlib.sha256`, `base64`) over `"{id}.{timestamp}.{body}"`, not with the code under test.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use polar_sdk::webhooks::{Webhook, WebhookError, DEFAULT_TOLERANCE};
use reqwest::header::{HeaderMap, HeaderValue};

const BODY: &[u8] =
    br#"{"type":"order.paid","timestamp":"2026-12-01T10:00:00Z","data":{"id":"x"}}"#;
const ID: &str = "msg_2a4Lq9";
const TIMESTAMP: u64 = 1_764_583_200;

/// The secret used as its UTF-8 bytes (Polar's dashboard secret form).
const PLAIN_SECRET: &str = "polar_whs_plainsecret";
const PLAIN_SIGNATURE: &str = "v1,ysMznpCBDGCu7pAHdSIkKm/5kuugk6Qvu/dmBVANO2w=";

/// A `whsec_` secret whose base64 part decodes to the key bytes `01 02 "secret-key-bytes" ff`.
const WHSEC_SECRET: &str = "whsec_AQJzZWNyZXQta2V5LWJ5dGVz/w==";
const WHSEC_SIGNATURE: &str = "v1,Sbrg8AMBL+eJKPS8T25wvP99Km4gNHfKDBwvxW+aT48=";

/// Signed with the key `other`.
const FOREIGN_SIGNATURE: &str = "v1,BWqvRHOHxiiRiCGQtXezqEvgu5jEWkRHYM/gd7RoRv0=";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert("webhook-id", HeaderValue::from_str(id).unwrap());
    map.insert(
        "webhook-timestamp",
        HeaderValue::from_str(timestamp).unwrap(),
    );
    map.insert(
        "webhook-signature",
        HeaderValue::from_str(signature).unwrap(),
    );
    map
}

fn signed(signature: &str) -> HeaderMap {
    headers(ID, &TIMESTAMP.to_string(), signature)
}

#[test]
fn both_secret_forms_verify() {
    let plain = Webhook::new(PLAIN_SECRET).unwrap();
    let delivery = plain
        .verify_at(&signed(PLAIN_SIGNATURE), BODY, at(TIMESTAMP))
        .unwrap();
    assert_eq!(delivery.id(), ID);
    assert_eq!(delivery.timestamp(), TIMESTAMP);
    assert_eq!(delivery.body(), BODY);
    let event: serde_json::Value = delivery.json().unwrap();
    assert_eq!(event["type"], "order.paid");

    let whsec = Webhook::new(WHSEC_SECRET).unwrap();
    whsec
        .verify_at(&signed(WHSEC_SIGNATURE), BODY, at(TIMESTAMP))
        .unwrap();
    // The plain form's key is not the whsec secret's key.
    assert!(matches!(
        whsec.verify_at(&signed(PLAIN_SIGNATURE), BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn any_v1_entry_may_match_and_other_versions_are_ignored() {
    let webhook = Webhook::new(PLAIN_SECRET).unwrap();
    let several = format!("v1,bm90IGl0 {FOREIGN_SIGNATURE} v2,abc {PLAIN_SIGNATURE}");
    webhook
        .verify_at(&signed(&several), BODY, at(TIMESTAMP))
        .unwrap();
    // A v2 entry with the right bytes does not count.
    let v2_only = PLAIN_SIGNATURE.replacen("v1,", "v2,", 1);
    assert!(matches!(
        webhook.verify_at(&signed(&v2_only), BODY, at(TIMESTAMP)),
        Err(WebhookError::NoSignature)
    ));
}

#[test]
fn tampering_and_wrong_secrets_fail() {
    let webhook = Webhook::new(PLAIN_SECRET).unwrap();
    let mut tampered = BODY.to_vec();
    tampered[10] ^= 1;
    assert!(matches!(
        webhook.verify_at(&signed(PLAIN_SIGNATURE), &tampered, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    ));
    // The id and timestamp are signed too.
    let other_id = headers("msg_other", &TIMESTAMP.to_string(), PLAIN_SIGNATURE);
    assert!(matches!(
        webhook.verify_at(&other_id, BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    ));
    let other_time = headers(ID, &(TIMESTAMP + 1).to_string(), PLAIN_SIGNATURE);
    assert!(matches!(
        webhook.verify_at(&other_time, BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    ));
    let wrong = Webhook::new("polar_whs_wrong").unwrap();
    let err = wrong
        .verify_at(&signed(PLAIN_SIGNATURE), BODY, at(TIMESTAMP))
        .unwrap_err();
    assert!(matches!(err, WebhookError::SignatureMismatch));
    assert!(!err.to_string().contains("wrong"), "{err}");
    assert!(!format!("{wrong:?}").contains("wrong"));
    assert!(matches!(
        webhook.verify_at(&signed(FOREIGN_SIGNATURE), BODY, at(TIMESTAMP)),
        Err(WebhookError::SignatureMismatch)
    ));
}

#[test]
fn timestamps_outside_the_tolerance_are_refused() {
    let webhook = Webhook::new(PLAIN_SECRET).unwrap();
    let tolerance = DEFAULT_TOLERANCE.as_secs();
    for now in [TIMESTAMP + tolerance, TIMESTAMP - tolerance] {
        webhook
            .verify_at(&signed(PLAIN_SIGNATURE), BODY, at(now))
            .unwrap();
    }
    match webhook.verify_at(
        &signed(PLAIN_SIGNATURE),
        BODY,
        at(TIMESTAMP + tolerance + 1),
    ) {
        Err(WebhookError::TooOld { age, .. }) => assert_eq!(age.as_secs(), tolerance + 1),
        other => panic!("{other:?}"),
    }
    match webhook.verify_at(
        &signed(PLAIN_SIGNATURE),
        BODY,
        at(TIMESTAMP - tolerance - 1),
    ) {
        Err(WebhookError::InFuture { ahead, .. }) => assert_eq!(ahead.as_secs(), tolerance + 1),
        other => panic!("{other:?}"),
    }
    let lenient = webhook.tolerance(Duration::from_secs(3600));
    lenient
        .verify_at(&signed(PLAIN_SIGNATURE), BODY, at(TIMESTAMP + 3000))
        .unwrap();
}

#[test]
fn missing_and_malformed_headers_are_named() {
    let webhook = Webhook::new(PLAIN_SECRET).unwrap();
    for missing in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut map = signed(PLAIN_SIGNATURE);
        map.remove(missing);
        match webhook.verify_at(&map, BODY, at(TIMESTAMP)) {
            Err(WebhookError::MissingHeader(name)) => assert_eq!(name, missing),
            other => panic!("{missing}: {other:?}"),
        }
    }
    for bad in ["soon", "-5", "1.5", "99999999999999999999999"] {
        let map = headers(ID, bad, PLAIN_SIGNATURE);
        assert!(
            matches!(
                webhook.verify_at(&map, BODY, at(TIMESTAMP)),
                Err(WebhookError::InvalidHeader("webhook-timestamp"))
            ),
            "{bad}"
        );
    }
    let garbage = signed("v1,@@@not-base64@@@");
    assert!(matches!(
        webhook.verify_at(&garbage, BODY, at(TIMESTAMP)),
        Err(WebhookError::NoSignature)
    ));
}

#[test]
fn header_pairs_are_matched_case_insensitively() {
    let webhook = Webhook::new(PLAIN_SECRET).unwrap().tolerance(Duration::MAX);
    let timestamp = TIMESTAMP.to_string();
    let pairs = [
        ("Webhook-Id", ID),
        ("WEBHOOK-TIMESTAMP", timestamp.as_str()),
        ("content-type", "application/json"),
        ("webhook-signature", PLAIN_SIGNATURE),
    ];
    let delivery = webhook.verify_pairs(pairs, BODY).unwrap();
    assert_eq!(delivery.id(), ID);
    // A repeated header does not replace the first one (as `HeaderMap::get` reads it).
    let repeated = [
        ("webhook-id", ID),
        ("webhook-id", "msg_other"),
        ("webhook-timestamp", timestamp.as_str()),
        ("webhook-signature", PLAIN_SIGNATURE),
    ];
    assert_eq!(webhook.verify_pairs(repeated, BODY).unwrap().id(), ID);
    assert!(matches!(
        webhook.verify_pairs([("webhook-id", ID)], BODY),
        Err(WebhookError::MissingHeader("webhook-timestamp"))
    ));
}

#[test]
fn empty_secrets_are_refused() {
    for secret in ["", "   "] {
        assert!(matches!(
            Webhook::new(secret),
            Err(WebhookError::EmptySecret)
        ));
    }
}

#[test]
fn a_verified_body_that_is_not_json_is_its_own_error() {
    // Signed with PLAIN_SECRET over the body `not json` (Python, as above).
    let body = b"not json";
    let signature = "v1,4AW3r0+D+2f+KaDE/2sGG0lvJLWt7VJSwSF1kzdcJVI=";
    let webhook = Webhook::new(PLAIN_SECRET).unwrap();
    let delivery = webhook
        .verify_at(&signed(signature), body, at(TIMESTAMP))
        .unwrap();
    let err = delivery.json::<serde_json::Value>().unwrap_err();
    assert!(matches!(err, WebhookError::InvalidJson(_)), "{err}");
}
