//! Validates a license key a user typed into your app, then activates it for this machine.
//! Both calls are public: they need no token, only the key and your organization's ID, so
//! software you ship can make them without carrying a secret.
//!
//! ```sh
//! cargo run -p polar-sdk --example license_keys -- <organization-id> <license-key> [<machine-label>]
//! ```

use polar_sdk::models::{LicenseKeyActivate, LicenseKeyValidate};
use polar_sdk::{Error, ErrorBody, Polar, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: license_keys <organization-id> <license-key> [<machine-label>]";
    let organization: polar_sdk::uuid::Uuid = args.next().ok_or(usage)?.parse()?;
    let key = args.next().ok_or(usage)?;
    let label = args.next().unwrap_or_else(|| "this machine".to_owned());
    // No token: never ship an organization token in software that runs on customers'
    // machines. The license key operations below need none.
    let polar = Polar::builder()
        .without_token()
        .server(Server::Sandbox)
        .build()?;
    let keys = polar.customer_portal().license_keys();

    match keys
        .validate(LicenseKeyValidate::new(key.as_str(), organization))
        .send()
        .await
    {
        Ok(validated) => println!("key {} is {:?}", validated.display_key, validated.status),
        Err(Error::ResourceNotFound(_)) => return Err("no such license key".into()),
        Err(other) => return Err(other.into()),
    }
    match keys
        .activate(LicenseKeyActivate::new(key.as_str(), organization, label))
        .send()
        .await
    {
        Ok(activation) => println!("activated: {}", activation.id),
        // The key allows no more activations, or this one is not permitted.
        Err(Error::Documented {
            body: ErrorBody::NotPermitted(refusal),
            ..
        }) => println!("not activated: {}", refusal.detail),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
