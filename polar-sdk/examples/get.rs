//! Fetches one customer meter by ID and shows how errors are told apart.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-sdk --example get -- <customer-meter-id>
//! ```

use polar_sdk::{Error, Polar};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let id: polar_sdk::uuid::Uuid = std::env::args()
        .nth(1)
        .ok_or("usage: get <customer-meter-id>")?
        .parse()?;
    let token = std::env::var("POLAR_ACCESS_TOKEN").map_err(|_| "set POLAR_ACCESS_TOKEN")?;
    let mut builder = Polar::builder().access_token(token);
    if let Ok(url) = std::env::var("POLAR_SERVER_URL") {
        builder = builder.server_url(url);
    }
    let polar = builder.build()?;

    match polar.customer_meters().get(id).send().await {
        Ok(meter) => {
            println!("customer meter {}", meter.id);
            println!("  meter      {}", meter.meter.name);
            println!("  consumed   {}", meter.consumed_units);
            println!("  credited   {}", meter.credited_units);
            println!("  balance    {}", meter.balance);
        }
        Err(Error::ResourceNotFound(e)) => eprintln!("not found: {}", e.detail),
        Err(Error::HttpValidation(e)) => {
            for item in e.detail.unwrap_or_default() {
                eprintln!("invalid request: {} ({})", item.msg, item.r#type);
            }
        }
        Err(Error::Api(e)) => eprintln!("API error {}: {}", e.status(), e.body_text()),
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
