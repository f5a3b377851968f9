//! Creates a checkout session for a product and prints the URL to send the buyer to.
//!
//! ```sh
//! POLAR_ACCESS_TOKEN=polar_oat_... cargo run -p polar-sdk --example checkout -- <product-id> [<email>]
//! ```

use polar_sdk::models::CheckoutProductsCreate;
use polar_sdk::{Polar, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let product: polar_sdk::uuid::Uuid = args
        .next()
        .ok_or("usage: checkout <product-id> [<email>]")?
        .parse()?;
    let polar = Polar::builder()
        .access_token(std::env::var("POLAR_ACCESS_TOKEN").map_err(|_| "set POLAR_ACCESS_TOKEN")?)
        .server(Server::Sandbox)
        .build()?;

    let mut request = CheckoutProductsCreate::new([product])
        .success_url("https://example.com/thanks?checkout_id={CHECKOUT_ID}");
    if let Some(email) = args.next() {
        request = request.customer_email(email);
    }
    let checkout = polar.checkouts().create(request).send().await?;
    println!("checkout {} ({:?})", checkout.id, checkout.status);
    println!("send the buyer to {}", checkout.url);
    Ok(())
}
