//! Spin variables behind [`Variables`]. A component sees only the variables
//! its `[component.x.variables]` table maps; an undefined one reads as absent
//! and the declared default applies.

use switchboard_app::Variables;
use switchboard_storage::BoxFuture;

pub struct SpinVariables;

impl Variables for SpinVariables {
    fn get<'a>(&'a self, name: &'a str) -> BoxFuture<'a, Option<String>> {
        Box::pin(async move { spin_sdk::variables::get(name).await.ok() })
    }
}
