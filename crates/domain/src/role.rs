//! Roles and what they may do (AUTH-2). The table in [`Role::allows`] is the
//! only place permissions are decided.

use serde::{Deserialize, Serialize};

/// An admin's role. The operator runs the platform and belongs to no tenant;
/// the other three are tenant roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Operator,
    Owner,
    Manager,
    Viewer,
}

/// What a route needs. Declared per route; checked by the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// Read the tenant's data (every tenant role).
    Read,
    /// Download spreadsheets and recordings (not viewers).
    Download,
    /// Change service settings (not viewers).
    Manage,
    /// Contract, admin users and IP access (owners only).
    ManageAccess,
    /// Platform administration: tenants (the operator only).
    Operator,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role, crate::ParseError> {
        match s {
            "operator" => Ok(Role::Operator),
            "owner" => Ok(Role::Owner),
            "manager" => Ok(Role::Manager),
            "viewer" => Ok(Role::Viewer),
            _ => Err(choose_role()),
        }
    }

    /// A role a tenant owner may give: owner, manager or viewer.
    pub fn parse_tenant_role(s: &str) -> Result<Role, crate::ParseError> {
        match Role::parse(s)? {
            Role::Operator => Err(choose_role()),
            role => Ok(role),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Viewer => "viewer",
        }
    }

    /// SPEC AUTH-2: owner — everything; manager — everything but contract
    /// and access management; viewer — read-only, no downloads; operator —
    /// the platform, not a tenant's data.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Owner => matches!(permission, Read | Download | Manage | ManageAccess),
            Role::Manager => matches!(permission, Read | Download | Manage),
            Role::Viewer => matches!(permission, Read),
            Role::Operator => matches!(permission, Operator),
        }
    }

    pub fn permissions(self) -> Vec<Permission> {
        use Permission::*;
        [Read, Download, Manage, ManageAccess, Operator]
            .into_iter()
            .filter(|p| self.allows(*p))
            .collect()
    }
}

fn choose_role() -> crate::Invalid {
    crate::Invalid::new(
        crate::FieldCode::InvalidChoice,
        "Choose owner, manager or viewer.",
    )
    .with("options", "owner, manager, viewer")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_stored_name() {
        for role in [Role::Operator, Role::Owner, Role::Manager, Role::Viewer] {
            assert_eq!(Role::parse(role.as_str()), Ok(role), "{role:?}");
        }
        let names: Vec<&str> = [Role::Operator, Role::Owner, Role::Manager, Role::Viewer]
            .iter()
            .map(|r| r.as_str())
            .collect();
        assert_eq!(names, ["operator", "owner", "manager", "viewer"]);
        assert!(Role::parse_tenant_role("operator").is_err());
    }

    use Permission::*;

    #[test]
    fn the_role_table_follows_auth_2() {
        assert_eq!(
            Role::Owner.permissions(),
            [Read, Download, Manage, ManageAccess]
        );
        assert_eq!(Role::Manager.permissions(), [Read, Download, Manage]);
        assert_eq!(Role::Viewer.permissions(), [Read]);
        assert_eq!(Role::Operator.permissions(), [Operator]);
    }

    #[test]
    fn the_operator_role_cannot_be_given_by_a_tenant() {
        assert!(Role::parse_tenant_role("operator").is_err());
        assert_eq!(Role::parse_tenant_role("viewer"), Ok(Role::Viewer));
        assert!(Role::parse("admin").is_err());
    }
}
