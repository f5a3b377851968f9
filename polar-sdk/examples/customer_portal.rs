//! What a customer sees in a self-service portal, with a customer session token (created by
//! your backend with `polar.customer_sessions().create(..)`, then handed to the customer's
//! browser or app): their orders and subscriptions.
//!
//! ```sh
//! POLAR_CUSTOMER_SESSION_TOKEN=polar_cst_... cargo run -p polar-sdk --example customer_portal
//! ```

use polar_sdk::{Polar, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("POLAR_CUSTOMER_SESSION_TOKEN")
        .map_err(|_| "set POLAR_CUSTOMER_SESSION_TOKEN")?;
    // A client with only a customer session token: the customer portal operations accept it.
    let polar = Polar::builder()
        .customer_session_token(token)
        .server(Server::Sandbox)
        .build()?;
    let portal = polar.customer_portal();

    let customer = portal.customers().get().send().await?;
    println!(
        "signed in as {}",
        customer.email.as_deref().unwrap_or("(no email)")
    );
    let orders = portal.orders().list().send().await?;
    println!("{} orders", orders.pagination.total_count);
    for order in &orders.items {
        println!("  order {} {:?}", order.id, order.status);
    }
    let subscriptions = portal.subscriptions().list().send().await?;
    for subscription in &subscriptions.items {
        println!(
            "  subscription {} {:?}",
            subscription.id, subscription.status
        );
    }
    Ok(())
}
