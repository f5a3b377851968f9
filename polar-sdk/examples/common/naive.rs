//! Plain structs for a customer-meter page, as a hand-written client would declare them (no
//! unknown fields kept, the customer's `type` and the meter's filter left loose): the naive
//! client of `stream_bench`, and the parser comparison in `xtask/bench/parsers`.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

#[derive(Deserialize)]
pub struct Page {
    pub items: Vec<CustomerMeter>,
    pub pagination: Pagination,
}

#[derive(Deserialize)]
pub struct Pagination {
    pub total_count: i64,
    pub max_page: i64,
}

#[derive(Deserialize)]
pub struct CustomerMeter {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub modified_at: Option<DateTime<Utc>>,
    pub customer_id: Uuid,
    pub meter_id: Uuid,
    pub consumed_units: f64,
    pub credited_units: i64,
    pub balance: f64,
    pub customer: Customer,
    pub meter: Meter,
}

#[derive(Deserialize)]
pub struct Customer {
    pub id: Uuid,
    pub created_at: DateTime<Utc>,
    pub modified_at: Option<DateTime<Utc>>,
    pub metadata: serde_json::Map<String, Value>,
    pub external_id: Option<String>,
    pub email: String,
    pub email_verified: bool,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: Option<String>,
    pub billing_name: Option<String>,
    pub billing_address: Option<Address>,
    pub tax_id: Option<(String, String)>,
    pub locale: Option<String>,
    pub organization_id: Uuid,
    pub default_payment_method_id: Option<Uuid>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub first_user_event_at: Option<DateTime<Utc>>,
    pub avatar_url: Option<String>,
}

#[derive(Deserialize)]
pub struct Address {
    pub line1: Option<String>,
    pub line2: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: String,
}

#[derive(Deserialize)]
pub struct Meter {
    pub metadata: serde_json::Map<String, Value>,
    pub created_at: DateTime<Utc>,
    pub modified_at: Option<DateTime<Utc>>,
    pub id: Uuid,
    pub name: String,
    pub unit: String,
    pub custom_label: Option<String>,
    pub custom_multiplier: Option<i64>,
    pub filter: Value,
    pub aggregation: Value,
    pub organization_id: Uuid,
    pub archived_at: Option<DateTime<Utc>>,
}
