//! Usage-based billing end to end: report usage as events, then read what each meter counted
//! for the customer.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-sdk --example usage_billing -- <external-customer-id>
//! ```

use polar_sdk::models::{EventCreateExternalCustomer, EventsIngest};
use polar_sdk::{Polar, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let customer = std::env::args()
        .nth(1)
        .ok_or("usage: usage_billing <external-customer-id>")?;
    let polar = Polar::builder()
        .access_token(std::env::var("POLAR_ACCESS_TOKEN").map_err(|_| "set POLAR_ACCESS_TOKEN")?)
        .server(Server::Sandbox)
        .build()?;

    // One event per unit of work your service did; a meter's filter picks them by name (and
    // metadata), and its aggregation turns them into units.
    let events: Vec<_> = (0..3)
        .map(|_| EventCreateExternalCustomer::new("api_call", customer.as_str()).into())
        .collect();
    let ingested = polar
        .events()
        .ingest(EventsIngest::new(events))
        .send()
        .await?;
    println!("{} events ingested", ingested.inserted);

    // What the customer has used so far, per meter.
    let page = polar
        .customer_meters()
        .list()
        .external_customer_id(customer.as_str())
        .send()
        .await?;
    for meter in &page.items {
        println!(
            "{}: {} consumed, {} credited, balance {}",
            meter.meter.name, meter.consumed_units, meter.credited_units, meter.balance
        );
    }
    Ok(())
}
