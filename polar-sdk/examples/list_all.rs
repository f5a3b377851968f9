//! Lists every customer meter, page by page.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-sdk --example list_all
//! POLAR_SERVER_URL=https://sandbox-api.polar.sh POLAR_ACCESS_TOKEN=... cargo run -p polar-sdk --example list_all
//! ```

use futures::TryStreamExt;
use polar_sdk::models::CustomerMeterSortProperty;
use polar_sdk::Polar;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let polar = client_from_env()?;

    let mut meters = polar
        .customer_meters()
        .list()
        .sorting([CustomerMeterSortProperty::CreatedAtDesc])
        .limit(100)
        .into_stream();
    let mut count = 0;
    while let Some(meter) = meters.try_next().await? {
        count += 1;
        println!(
            "{}  customer {}  meter {}  consumed {}  credited {}  balance {}",
            meter.id,
            meter.customer_id,
            meter.meter_id,
            meter.consumed_units,
            meter.credited_units,
            meter.balance
        );
    }
    println!("{count} customer meters");
    Ok(())
}

fn client_from_env() -> Result<Polar, Box<dyn std::error::Error>> {
    let token = std::env::var("POLAR_ACCESS_TOKEN").map_err(|_| "set POLAR_ACCESS_TOKEN")?;
    let mut builder = Polar::builder().access_token(token);
    if let Ok(url) = std::env::var("POLAR_SERVER_URL") {
        builder = builder.server_url(url);
    }
    Ok(builder.build()?)
}
