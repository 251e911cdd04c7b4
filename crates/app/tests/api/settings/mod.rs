//! The service settings (SPEC 6) and the contract, one module per page.

mod agents;
mod ars;
mod consultation_types;
mod contract;
mod holidays;
mod hours;
mod menus;
mod tenant_status;
mod work;
