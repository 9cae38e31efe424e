"""IAM: least privilege in identity, trust, resource and key policies.

Documents that embed ARNs of resources created in the same stack are unknown in preview; the rules
here then report "not applicable" for that resource naming the documents, which are checked when
`pulumi up` analyzes the resource with its inputs resolved (and listed by policy-documents-deferred-to-up).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from environments.iam_allowlist import justification
from policies.core.documents import (
    DOCUMENT_PROPERTIES,
    IDENTITY,
    KEY,
    RESOURCE,
    TRUST,
    Document,
    Found,
    Reporter,
    Statement,
    documents_of,
    inspect_documents,
    is_wildcard_action,
    is_wildcard_resource,
    known_documents,
)
from policies.core.graph import StackGraph
from policies.core.lookups import POLICY_ATTACHMENTS, attached_policy_arns
from policies.core.props import get, plain, short_name
from policies.core.resource_types import IAM_ROLE, KMS_KEY, LAMBDA_FUNCTION, LAMBDA_PERMISSION
from policies.core.tags import tags

# Services whose trust policies can (and so must) name the calling resource with aws:SourceArn.
SOURCE_ARN_SERVICES = (
    "bedrock.amazonaws.com",
    "states.amazonaws.com",
    "scheduler.amazonaws.com",
    "events.amazonaws.com",
)


# --- iam-no-wildcard-actions -------------------------------------------------------------------


def _wildcard_actions(item: Found, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows:
            continue
        for action in statement.actions:
            if action == "*":
                report(f"{item.label} {statement.label} allows Action '*' (every action of every service).")
            elif action.endswith(":*"):
                report(f"{item.label} {statement.label} allows {action!r} (every action of the service).")
            elif is_wildcard_action(action):
                report(f"{item.label} {statement.label} allows the wildcard action {action!r}.")


def validate_no_wildcard_actions(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    inspect_documents(args, report_violation, (IDENTITY, TRUST, RESOURCE), _wildcard_actions)


iam_no_wildcard_actions = ResourceValidationPolicy(
    name="iam-no-wildcard-actions",
    description="Identity, trust and resource policies allow explicit actions only: no '*', no 'service:*', "
    "no wildcard patterns.",
    validate=validate_no_wildcard_actions,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="List the exact actions the principal needs (components/base/iam.py Statement refuses "
    "wildcards). "
    "KMS key policies are judged by kms-key-policy-least-privilege.",
    tags=tags(
        "iam",
        "CKV_AWS_1",
        "CKV_AWS_49",
        "CKV_AWS_62",
        "CKV_AWS_63",
        "CKV_AWS_72",
        "CKV2_AWS_40",
        "AwsSolutions-IAM5",
        "Serverless-LambdaStarPermissions",
        "[IAM.1]",
        "[IAM.21]",
    ),
)


# --- iam-no-wildcard-resources / iam-wildcard-resource-justified ------------------------------


def _wildcard_resources(statement: Statement) -> list[str]:
    return [r for r in statement.resources if is_wildcard_resource(r)]


def _unjustified_wildcards(item: Found, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows or not _wildcard_resources(statement):
            continue
        shown = ", ".join(repr(r) for r in _wildcard_resources(statement))
        for action in statement.actions:
            if justification(action) is None:
                report(
                    f"{item.label} {statement.label} allows {action!r} on {shown}; the action supports "
                    "resource-level permissions, so name the resources (or, if AWS offers none, add it with a "
                    "justification to environments/iam_allowlist.py)."
                )


def validate_no_wildcard_resources(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    inspect_documents(args, report_violation, (IDENTITY,), _unjustified_wildcards)


iam_no_wildcard_resources = ResourceValidationPolicy(
    name="iam-no-wildcard-resources",
    description="Identity policies name their resources; Resource '*' (or a whole service's ARN space) only for "
    "actions that AWS offers no resource-level permission for (environments/iam_allowlist.py).",
    validate=validate_no_wildcard_resources,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Use the ARNs of the resources the role works on. Only actions listed in "
    "environments/iam_allowlist.WILDCARD_RESOURCE_ACTIONS may use '*', each with its justification.",
    tags=tags(
        "iam",
        "CKV_AWS_355",
        "CKV_AWS_356",
        "CKV_AWS_288",
        "CKV_AWS_289",
        "CKV_AWS_290",
        "AwsSolutions-IAM5",
        "[KMS.1]",
        "[KMS.2]",
    ),
)


def _justified_wildcards(item: Found, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows or not _wildcard_resources(statement):
            continue
        for action in statement.actions:
            why = justification(action)
            if why:
                report(f"{item.label} {statement.label}: {action} on '*' accepted - {why}")


def validate_wildcard_resource_justified(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in DOCUMENT_PROPERTIES:
        return
    found = documents_of(args.resource_type, plain(args.props), (IDENTITY,))
    for item, document in known_documents(found):
        _justified_wildcards(item, document, Reporter(report_violation))


iam_wildcard_resource_justified = ResourceValidationPolicy(
    name="iam-wildcard-resource-justified",
    description="Reports every accepted Resource '*' grant with its justification from the allow-list "
    "(the evidence cdk-nag asks for on AwsSolutions-IAM5).",
    validate=validate_wildcard_resource_justified,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Nothing to fix: review that each justification still holds when the allow-list changes.",
    tags=tags("iam", "AwsSolutions-IAM5"),
)


# --- iam-no-not-action-or-not-resource -----------------------------------------------------------


def _negations(item: Found, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows:
            continue
        if statement.not_actions:
            report(f"{item.label} {statement.label} combines Allow with NotAction (allows everything else).")
        if statement.not_resources:
            report(f"{item.label} {statement.label} combines Allow with NotResource (allows every other resource).")
        if statement.not_principal:
            report(f"{item.label} {statement.label} combines Allow with NotPrincipal (allows everyone else).")


def validate_no_negations(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    inspect_documents(args, report_violation, (IDENTITY, TRUST, RESOURCE, KEY), _negations)


iam_no_not_action_or_not_resource = ResourceValidationPolicy(
    name="iam-no-not-action-or-not-resource",
    description="No Allow statement uses NotAction, NotResource or NotPrincipal (they grant everything not listed).",
    validate=validate_no_negations,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Rewrite the statement with Action/Resource/Principal listing what is allowed; use NotX "
    "only in Deny statements.",
    tags=tags("iam"),
)


# --- iam-pass-role-scoped -------------------------------------------------------------------------

_ROLE_ARN = re.compile(r"^arn:[a-z-]+:iam::\d{12}:role/[\w+=,.@/-]+$")


def _pass_role(item: Found, document: Document, report: Reporter) -> None:
    for statement in document.statements:
        if not statement.allows or not statement.matches_action("iam:PassRole"):
            continue
        loose = [r for r in statement.resources if not _ROLE_ARN.match(r)]
        if loose or not statement.resources:
            shown = ", ".join(map(repr, loose)) or "no resource"
            report(f"{item.label} {statement.label} allows iam:PassRole on {shown}; name each role ARN exactly.")
        passed_to = [v for op, v in statement.condition("iam:PassedToService") if op.startswith("String")]
        if not passed_to or any("*" in str(value) for values in passed_to for value in values):
            report(
                f"{item.label} {statement.label} allows iam:PassRole without a StringEquals iam:PassedToService "
                "condition naming the service the role is for."
            )


def validate_pass_role_scoped(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    inspect_documents(args, report_violation, (IDENTITY,), _pass_role)


iam_pass_role_scoped = ResourceValidationPolicy(
    name="iam-pass-role-scoped",
    description="iam:PassRole is granted only on named role ARNs and only with an iam:PassedToService condition.",
    validate=validate_pass_role_scoped,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps='Resource: the exact role ARN(s); Condition: {"StringEquals": {"iam:PassedToService": '
    '"<service>.amazonaws.com"}}.',
    tags=tags("iam", "CKV_AWS_286", "CKV_AWS_110"),
)


# --- managed policies -------------------------------------------------------------------------------

_AWS_MANAGED = re.compile(r"^arn:[a-z-]+:iam::aws:policy/(?:.*/)?(?P<name>[^/]+)$")
_PRIVILEGED = re.compile(r"^(AdministratorAccess.*|PowerUserAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9]*)$")


def validate_no_privileged_managed_policies(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE and args.resource_type not in POLICY_ATTACHMENTS:
        return
    for arn in attached_policy_arns(args.resource_type, plain(args.props)):
        match = _AWS_MANAGED.match(arn) if isinstance(arn, str) else None
        if match and _PRIVILEGED.match(match.group("name")):
            report_violation(
                f"attaches the AWS-managed policy {match.group('name')} ({arn}): administrator, power-user and "
                "*FullAccess policies grant far more than any platform role needs.",
                None,
            )


iam_no_privileged_managed_policies = ResourceValidationPolicy(
    name="iam-no-privileged-managed-policies",
    description="No AWS-managed AdministratorAccess, PowerUserAccess or *FullAccess policy (e.g. "
    "AmazonBedrockFullAccess, IAMFullAccess) is attached to a role, user or group.",
    validate=validate_no_privileged_managed_policies,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="Replace the managed policy with an inline least-privilege policy built by "
    "components/base/iam.py.",
    tags=tags("iam", "CKV_AWS_274", "CKV_AWS_275", "CKV2_AWS_56", "[IAM.1]"),
)

ALLOWED_MANAGED_SCHEMA = PolicyConfigSchema(
    properties={
        "allowedPolicyArns": {
            "type": "array",
            "items": {"type": "string"},
            "default": [],
            "description": "AWS-managed policy ARNs that may be attached despite this rule (each needs a reason).",
        }
    }
)


def validate_no_aws_managed_policies(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != IAM_ROLE and args.resource_type not in POLICY_ATTACHMENTS:
        return
    allowed = set(args.get_config().get("allowedPolicyArns") or [])
    for arn in attached_policy_arns(args.resource_type, plain(args.props)):
        match = _AWS_MANAGED.match(arn) if isinstance(arn, str) else None
        if match and arn not in allowed:
            report_violation(
                f"attaches the AWS-managed policy {arn}: AWS-managed policies are broad and change without notice; "
                "the platform grants least privilege through inline policies.",
                None,
            )


iam_no_aws_managed_policies = ResourceValidationPolicy(
    name="iam-no-aws-managed-policies",
    description="Roles carry inline least-privilege policies only: no AWS-managed policy is attached "
    "(unless listed in allowedPolicyArns).",
    validate=validate_no_aws_managed_policies,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=ALLOWED_MANAGED_SCHEMA,
    remediation_steps="Build an inline policy with components/base/iam.py policy_document(); if an AWS-managed "
    "policy is "
    "truly required, add its ARN to this policy's allowedPolicyArns config with a reason.",
    tags=tags("iam", "AwsSolutions-IAM4"),
)


# --- iam-trust-confused-deputy --------------------------------------------------------------------

TRUST_SCHEMA = PolicyConfigSchema(
    properties={
        "sourceArnServices": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(SOURCE_ARN_SERVICES),
            "description": "Service principals whose trust statements must also carry aws:SourceArn.",
        }
    }
)


def _pinned(statement: Statement, key: str) -> bool:
    values = [v for _, vs in statement.condition(key) for v in vs]
    return bool(values) and all(isinstance(v, str) and v not in ("", "*") for v in values)


def _trust_checker(source_arn_services: set[str]) -> Callable[[Found, Document, Reporter], None]:
    def check(item: Found, document: Document, report: Reporter) -> None:
        for statement in document.statements:
            if not statement.allows:
                continue
            if statement.public:
                report(f"{statement.label} lets any AWS principal ('*') assume the role.")
            for service in statement.principals.get("Service", ()):
                if not _pinned(statement, "aws:SourceAccount"):
                    report(
                        f"{statement.label} trusts {service} without an aws:SourceAccount condition "
                        "(confused deputy: another account's resources could make the service assume this role)."
                    )
                if service in source_arn_services and not _pinned(statement, "aws:SourceArn"):
                    report(
                        f"{statement.label} trusts {service} without an aws:SourceArn condition naming the "
                        "resources (agents, state machines, schedules, rules) that may use the role."
                    )
            if statement.principals.get("Federated") and not statement.conditions:
                report(f"{statement.label} trusts a federated identity provider without any condition.")

    return check


def validate_trust_confused_deputy(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    services = set(args.get_config().get("sourceArnServices") or SOURCE_ARN_SERVICES)
    inspect_documents(args, report_violation, (TRUST,), _trust_checker(services))


iam_trust_confused_deputy = ResourceValidationPolicy(
    name="iam-trust-confused-deputy",
    description="Role trust policies never trust '*', and every service principal is pinned with aws:SourceAccount "
    "(and aws:SourceArn for services that send it) against the confused deputy.",
    validate=validate_trust_confused_deputy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=TRUST_SCHEMA,
    remediation_steps="Build trust policies with components/base/iam.py ServiceTrust(service, account_id, "
    "source_arn=...).",
    tags=tags("iam", "CKV_AWS_60", "CKV_AWS_61"),
)


# --- lambda-permission-source-arn -----------------------------------------------------------------


def validate_lambda_permission(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != LAMBDA_PERMISSION:
        return
    props = plain(args.props)
    principal = get(props, "principal")
    if principal == "*":
        report_violation("principal is '*': anyone can invoke the function.", None)
        return
    if get(props, "functionUrlAuthType") == "NONE":
        report_violation("functionUrlAuthType is NONE: the function URL is public.", None)
    if isinstance(principal, str) and principal.endswith(".amazonaws.com"):
        if get(props, "sourceArn") in (None, ""):
            report_violation(
                f"grants {principal} without sourceArn: any {principal.split('.')[0]} resource, in any account, "
                "could invoke the function. Name the agent, rule, API or topic.",
                None,
            )
        if principal == "s3.amazonaws.com" and get(props, "sourceAccount") in (None, ""):
            report_violation("grants s3.amazonaws.com without sourceAccount (bucket ARNs carry no account).", None)


lambda_permission_source_arn = ResourceValidationPolicy(
    name="lambda-permission-source-arn",
    description="Lambda permissions never grant '*' or a public function URL, and a service principal is always "
    "scoped with sourceArn (and sourceAccount for S3).",
    validate=validate_lambda_permission,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Set source_arn to the invoking resource (agent ARN, rule ARN, API execution ARN).",
    tags=tags("iam", "CKV_AWS_364", "CKV_AWS_301", "[Lambda.1]", "aws-lambda-permission-configure-source-arn"),
)


# --- kms-key-policy-least-privilege ---------------------------------------------------------------

_ROOT = re.compile(r"^(?:arn:[a-z-]+:iam::(?P<account>\d{12}):root|(?P<bare>\d{12}))$")

KEY_POLICY_SCHEMA = PolicyConfigSchema(
    properties={
        "accountIds": {
            "type": "array",
            "items": {"type": "string", "pattern": "^[0-9]{12}$"},
            "default": [],
            "description": "Accounts whose root may administer keys (empty: the key's own account, i.e. a single "
            "account per key policy).",
        }
    }
)


def _full_access(statement: Statement) -> bool:
    return any(a in ("*", "kms:*") for a in statement.actions)


def _key_statement_roots(statement: Statement, report: Reporter) -> set[str]:
    """Check one key-policy statement; the accounts whose root it grants kms:* to."""
    if statement.public:
        report(f"{statement.label} grants the key to any principal ('*').")
        return set()
    if statement.principals.get("Service") and not statement.conditions:
        report(f"{statement.label} grants the key to a service principal without a scoping condition.")
    if not _full_access(statement):
        return set()
    roots = set()
    for principal in [*statement.principals.get("AWS", ()), *statement.principals.get("Service", ())]:
        match = _ROOT.match(principal)
        if not match:
            report(f"{statement.label} grants kms:* to {principal}; only the account root may hold kms:*.")
        else:
            roots.add(match.group("account") or match.group("bare"))
    return roots


def _key_policy_checker(allowed_accounts: set[str]) -> Callable[[Found, Document, Reporter], None]:
    def check(item: Found, document: Document, report: Reporter) -> None:
        roots: set[str] = set()
        for statement in document.statements:
            if statement.allows:
                roots |= _key_statement_roots(statement, report)
        if len(roots) > 1:
            report(f"kms:* is granted to the roots of several accounts ({', '.join(sorted(roots))}).")
        stray = roots - allowed_accounts if allowed_accounts else set()
        if stray:
            report(f"kms:* is granted to account(s) {', '.join(sorted(stray))}, not in the accountIds config.")

    return check


def validate_key_policy(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != KMS_KEY:
        return
    props = plain(args.props)
    if get(props, "bypassPolicyLockoutSafetyCheck") is True:
        report_violation("bypassPolicyLockoutSafetyCheck is true: the key could become unmanageable.", None)
    if get(props, "policy") is None:
        report_violation("has no explicit key policy; write one (components/base/iam.py key_policy).", None)
        return
    allowed = set(args.get_config().get("accountIds") or [])
    inspect_documents(args, report_violation, (KEY,), _key_policy_checker(allowed))


kms_key_policy_least_privilege = ResourceValidationPolicy(
    name="kms-key-policy-least-privilege",
    description="KMS key policies are explicit, grant kms:* to the account root only, never to '*', and scope every "
    "service principal with a condition; the lockout safety check is never bypassed.",
    validate=validate_key_policy,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    config_schema=KEY_POLICY_SCHEMA,
    remediation_steps="Build key policies with components/base/iam.py key_policy(): root administers through IAM, "
    "services get explicit kms actions with aws:SourceAccount / encryption-context conditions.",
    tags=tags(
        "iam",
        "CKV_AWS_33",
        "CKV2_AWS_64",
        "[KMS.5]",
        "aws-kms-key-disallow-bypass-policy-lockout-safety-check",
    ),
)


# --- lambda-function-unique-role --------------------------------------------------------------------


def validate_unique_role(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    users: dict[str, list[str]] = {}
    for function in graph.of_type(LAMBDA_FUNCTION):
        roles = graph.deps(function, "role", IAM_ROLE)
        if not roles:
            report_violation(
                "its execution role is not a role of this stack, so its permissions are not reviewed.", function.urn
            )
        for role in roles:
            users.setdefault(role.urn, []).append(function.urn)
    for role_urn, sharing in users.items():
        if len(sharing) > 1:
            for urn in sharing:
                others = ", ".join(short_name(f) for f in sharing if f != urn)
                report_violation(f"shares its execution role {short_name(role_urn)} with {others}.", urn)


lambda_function_unique_role = StackValidationPolicy(
    name="lambda-function-unique-role",
    description="Every Lambda function has its own execution role, a role of this stack (no shared, over-broad roles).",
    validate=validate_unique_role,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Let the LambdaFunction component create one role per function with that function's statements.",
    tags=tags("iam", "aws-lambda-function-require-unique-iam-role"),
)


POLICIES = [
    iam_no_wildcard_actions,
    iam_no_wildcard_resources,
    iam_wildcard_resource_justified,
    iam_no_not_action_or_not_resource,
    iam_pass_role_scoped,
    iam_no_privileged_managed_policies,
    iam_no_aws_managed_policies,
    iam_trust_confused_deputy,
    lambda_permission_source_arn,
    lambda_function_unique_role,
    kms_key_policy_least_privilege,
]
