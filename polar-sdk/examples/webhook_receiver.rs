//! A webhook receiver with axum: verifies each delivery, acts on a few events, answers 2xx.
//!
//! ```sh
//! POLAR_WEBHOOK_SECRET=<the endpoint's secret> cargo run -p polar-sdk --example webhook_receiver
//! ```
//!
//! then register `https://<your host>/webhooks/polar` as a webhook endpoint in Polar (a
//! tunnel to `127.0.0.1:3000` works while developing).
//!
//! What it answers, and why:
//! - `400` when the delivery does not verify (forged, altered, stale, or signed with another
//!   secret): nothing in it can be trusted, so it is not read.
//! - `500` when it verifies but this SDK cannot decode its event (a model out of date): Polar
//!   retries, so the event is not lost while you upgrade.
//! - `202` for everything else, including event types this SDK does not know and repeats of
//!   deliveries already handled: anything but a 2xx makes Polar retry, and an endpoint that
//!   keeps failing is eventually disabled.
//!
//! Replays: Polar retries a delivery until it gets a 2xx, and anyone who captured one can send
//! it again within the timestamp tolerance. The `webhook-id` header is the same for every
//! attempt of one event, so it is the idempotency key: remember the ids you have handled and
//! skip repeats. This example keeps them in memory; a real service records them where it
//! records the effect (a table with a unique `webhook_id`, written in the same transaction).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use polar_sdk::webhooks::{Webhook, WebhookEvent};

struct Receiver {
    webhook: Webhook,
    /// `webhook-id`s already handled.
    handled: Mutex<HashSet<String>>,
}

async fn receive(
    State(receiver): State<Arc<Receiver>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    // The raw body, byte for byte: a body parsed and serialized again no longer verifies.
    let delivery = match receiver.webhook.verify(&headers, &body) {
        Ok(delivery) => delivery,
        Err(error) => {
            eprintln!("refused a delivery: {error}");
            return StatusCode::BAD_REQUEST;
        }
    };
    // Claimed before acting, in one step under the lock: two copies of a delivery arriving at
    // once cannot both pass.
    if !receiver
        .handled
        .lock()
        .unwrap()
        .insert(delivery.id().to_owned())
    {
        return StatusCode::ACCEPTED;
    }
    let event = match delivery.event() {
        Ok(event) => event,
        Err(error) => {
            // Not acted on: the id is freed for Polar's retry.
            receiver.handled.lock().unwrap().remove(delivery.id());
            eprintln!(
                "delivery {} verified but not decoded: {error}",
                delivery.id()
            );
            return StatusCode::INTERNAL_SERVER_ERROR;
        }
    };
    match &event {
        WebhookEvent::OrderPaid(paid) => {
            let order = &paid.data;
            println!("order {} paid: {} cents", order.id, order.total_amount);
        }
        WebhookEvent::SubscriptionCanceled(canceled) => {
            let subscription = &canceled.data;
            println!(
                "subscription {} canceled, ends at the period end: {}",
                subscription.id, subscription.cancel_at_period_end
            );
        }
        WebhookEvent::CustomerStateChanged(changed) => {
            println!("customer state changed at {}", changed.timestamp);
        }
        other => println!("not handled here: {}", other.event_type()),
    }
    StatusCode::ACCEPTED
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An unset variable gives an empty secret, which `Webhook::new` refuses.
    let secret = std::env::var("POLAR_WEBHOOK_SECRET").unwrap_or_default();
    let receiver = Arc::new(Receiver {
        webhook: Webhook::new(&secret)?,
        handled: Mutex::new(HashSet::new()),
    });
    let app = Router::new()
        .route("/webhooks/polar", post(receive))
        .with_state(receiver);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
