//! Lists the active subscriptions whose metadata says they belong to one of your tenants,
//! walking every page.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-sdk --example subscriptions_by_metadata -- <tenant-id>
//! ```

use futures::TryStreamExt;
use polar_sdk::{Polar, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tenant = std::env::args()
        .nth(1)
        .ok_or("usage: subscriptions_by_metadata <tenant-id>")?;
    let polar = Polar::builder()
        .access_token(std::env::var("POLAR_ACCESS_TOKEN").map_err(|_| "set POLAR_ACCESS_TOKEN")?)
        .server(Server::Sandbox)
        .build()?;

    // Sent as `metadata[tenant]=<id>`: only subscriptions whose metadata has that value.
    let mut subscriptions = polar
        .subscriptions()
        .list()
        .active(true)
        .metadata([("tenant", tenant.as_str())])
        .limit(100)
        .into_stream();
    let mut count = 0;
    while let Some(subscription) = subscriptions.try_next().await? {
        count += 1;
        println!(
            "{} {:?} customer {}",
            subscription.id, subscription.status, subscription.customer_id
        );
    }
    println!("{count} active subscriptions for tenant {tenant}");
    Ok(())
}
