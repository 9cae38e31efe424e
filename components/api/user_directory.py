"""Cognito user pool for the API from walk on: users sign in, API Gateway checks their JWT."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.base.location import Location
from components.base.naming import Kind, physical_name
from components.base.protection import data_options


@dataclass(frozen=True)
class UserDirectoryArgs:
    location: Location
    mfa: str  # TierProfile.user_pool_mfa: OPTIONAL lets users enrol a factor, ON requires one
    deletion_protection: bool  # TierProfile.deletion_protection
    retain_on_delete: bool  # TierProfile.retain_on_delete


class UserDirectory(pulumi.ComponentResource):
    def __init__(self, name: str, args: UserDirectoryArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:api:UserDirectory", name, None, opts)
        stage = args.location.stage
        self.user_pool = aws.cognito.UserPool(
            f"{name}-user-pool",
            aws.cognito.UserPoolArgs(
                name=physical_name(Kind.COGNITO_USER_POOL, stage, "users"),
                username_attributes=["email"],
                auto_verified_attributes=["email"],
                # Internal and partner users are invited; nobody signs themselves up.
                admin_create_user_config=aws.cognito.UserPoolAdminCreateUserConfigArgs(
                    allow_admin_create_user_only=True
                ),
                mfa_configuration=args.mfa,
                software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(enabled=True),
                password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
                    minimum_length=14,
                    require_lowercase=True,
                    require_uppercase=True,
                    require_numbers=True,
                    require_symbols=True,
                    temporary_password_validity_days=3,
                    password_history_size=5,
                ),
                account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                    recovery_mechanisms=[
                        aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                            name="verified_email", priority=1
                        )
                    ]
                ),
                deletion_protection="ACTIVE" if args.deletion_protection else "INACTIVE",
            ),
            opts=data_options(self, args.retain_on_delete),
        )
        self.client = aws.cognito.UserPoolClient(
            f"{name}-client",
            aws.cognito.UserPoolClientArgs(
                name=physical_name(Kind.COGNITO_USER_POOL, stage, "web"),
                user_pool_id=self.user_pool.id,
                generate_secret=False,  # a browser app cannot keep a secret; SRP protects the password
                explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                prevent_user_existence_errors="ENABLED",
                enable_token_revocation=True,
                access_token_validity=60,
                id_token_validity=60,
                refresh_token_validity=12,
                token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                    access_token="minutes", id_token="minutes", refresh_token="hours"
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"userPoolId": self.user_pool.id, "clientId": self.client.id})
