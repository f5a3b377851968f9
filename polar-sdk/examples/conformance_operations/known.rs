//! Known Prism deviations: the one table both conformance drivers read
//! (`examples/conformance.rs` and `examples/conformance_operations/`).

/// Requests Prism 5 rejects although the document allows them, or responses it gets wrong:
/// (call, mode, reason). A call is `<operation id> <case>` (`customer_meters:list
/// sorting=[created_at]`, `customers:create required`); a mode is `dynamic`, `static` or
/// `any`. A listed call that fails is reported as `KNOWN` with its reason and counted apart;
/// one that passes is reported as `FIXED` (remove its entry). Every reason names what Prism's
/// log (`.conformance/prism-<document>.log`) shows.
pub const KNOWN: &[(&str, &str, &str)] = &[
    (
        "customer_meters:list sorting=[created_at]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-created_at]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[modified_at]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-modified_at]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[customer_id]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-customer_id]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[customer_name]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-customer_name]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[meter_id]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-meter_id]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[meter_name]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-meter_name]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[consumed_units]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-consumed_units]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[credited_units]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-credited_units]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[balance]",
        "any",
        SINGLE_SORTING,
    ),
    (
        "customer_meters:list sorting=[-balance]",
        "any",
        SINGLE_SORTING,
    ),
];

const SINGLE_SORTING: &str = "Prism false positive: `sorting` is `anyOf[array, null]`, and Prism \
    does not coerce a single exploded query value (`?sorting=x`) to a one-item array for an \
    anyOf, so it answers 422; the same value passes together with a second one";

/// The reason a call is listed for this mode, if it is.
pub fn reason(call: &str, mode: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find(|(known, known_mode, _)| {
            *known == call && (*known_mode == mode || *known_mode == "any")
        })
        .map(|(_, _, reason)| *reason)
}
