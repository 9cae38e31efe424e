"""Guardrails: every agent is guard-railed by a pinned guardrail of this stack, and every guardrail is strong.

Beyond "a guardrail is set" (all other rule sets stop there): prompt-attack filter at HIGH, content
filters at a configurable strength, a PII policy, blocked messaging, contextual grounding where the
tier requires it, the safeguard tier the stage's languages need, agent roles scoped to their model, and
user confirmation on mutating tools.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
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

from environments.guardrail_tiers import SafeguardTier, guardrail_profile, guardrail_profile_by_id, required_tier
from environments.models import base_model_id
from environments.tiers import TierProfile
from policies.core import stage
from policies.core.documents import IDENTITY, documents_of, known_documents
from policies.core.graph import StackGraph, each_resource
from policies.core.lookups import attached_policy_arns
from policies.core.props import UNKNOWN, get, items, number, plain, short_name
from policies.core.resource_types import (
    BEDROCK_ACTION_GROUP,
    BEDROCK_AGENT,
    BEDROCK_AGENT_ALIAS,
    BEDROCK_AGENT_COLLABORATOR,
    BEDROCK_GUARDRAIL,
    BEDROCK_GUARDRAIL_VERSION,
    IAM_ROLE,
    IAM_ROLE_POLICY,
    IAM_ROLE_POLICY_ATTACHMENT,
)
from policies.core.tags import tags
from policies.core.tier_text import where, which_do

STRENGTHS = ("NONE", "LOW", "MEDIUM", "HIGH")
CONTENT_CATEGORIES = ("SEXUAL", "VIOLENCE", "HATE", "INSULTS", "MISCONDUCT")
REQUIRED_PII = ("AWS_ACCESS_KEY", "AWS_SECRET_KEY", "PASSWORD", "CREDIT_DEBIT_CARD_NUMBER", "EMAIL", "PHONE")


# --- bedrock-agent-guardrail-attached --------------------------------------------------------------


def _guardrail_problems(graph: StackGraph, agent: Any) -> list[str]:
    configurations = items(graph.props(agent), "guardrailConfigurations")
    if configurations is not UNKNOWN and not configurations:
        return ["has no guardrailConfigurations: prompts and answers pass unfiltered."]
    guardrails = graph.deps(agent, "guardrailConfigurations", BEDROCK_GUARDRAIL)
    versions = graph.deps(agent, "guardrailConfigurations", BEDROCK_GUARDRAIL_VERSION)
    if not guardrails:
        return ["guardrailIdentifier does not come from an aws:bedrock/guardrail:Guardrail of this stack."]
    problems = []
    first = configurations[0] if configurations is not UNKNOWN else {}
    identifier, version = get(first, "guardrailIdentifier"), get(first, "guardrailVersion")
    if isinstance(identifier, str) and not any(
        identifier in graph.names(g, "guardrailId", "guardrailArn", "id") for g in guardrails
    ):
        problems.append(f"guardrailIdentifier is the literal {identifier!r}, not the stack's guardrail.")
    if version in (None, "", "DRAFT"):
        problems.append(
            f"guardrailVersion is {version or 'unset'}: pin a published aws:bedrock/guardrailVersion:GuardrailVersion "
            "so guardrail edits are reviewed before they reach the agent."
        )
    elif not versions:
        problems.append("guardrailVersion does not come from a GuardrailVersion of this stack.")
    else:
        own = [
            v
            for v in versions
            if {g.urn for g in graph.deps(v, "guardrailArn", BEDROCK_GUARDRAIL)} & {g.urn for g in guardrails}
        ]
        if not own:
            problems.append("the pinned GuardrailVersion belongs to a different guardrail than guardrailIdentifier.")
        elif isinstance(version, str) and not any(
            version in graph.names(v, "version") or not graph.names(v, "version") for v in own
        ):
            problems.append(f"guardrailVersion {version!r} is not the version published by this stack.")
    return problems


validate_agent_guardrail = each_resource(BEDROCK_AGENT, _guardrail_problems)


bedrock_agent_guardrail_attached = StackValidationPolicy(
    name="bedrock-agent-guardrail-attached",
    description="Every Bedrock agent applies a guardrail of this stack, pinned to a published version of it.",
    validate=validate_agent_guardrail,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="guardrail_configurations=[AgentAgentGuardrailConfigurationArgs(guardrail_identifier="
    "<guardrail>.guardrail_id, guardrail_version=<guardrail version>.version)] (the Agent component does this).",
    tags=tags("guardrails", "CKV_AWS_383"),
)


# --- guardrail content ------------------------------------------------------------------------------


def _filters(props: dict[str, Any], policy: str) -> list[dict[str, Any]] | Any:
    config = get(props, policy)
    if config is UNKNOWN:
        return UNKNOWN
    if isinstance(config, list):
        config = config[0] if config else None
    if config is None:
        return []
    return items(config, "filtersConfigs")


def _guardrail_props(args: ResourceValidationArgs) -> dict[str, Any] | None:
    return plain(args.props) if args.resource_type == BEDROCK_GUARDRAIL else None


def _rank(strength: Any) -> int:
    return STRENGTHS.index(strength) if strength in STRENGTHS else -1


def validate_prompt_attack(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    filters = _filters(props, "contentPolicyConfig")
    if filters is UNKNOWN:
        report_violation("contentPolicyConfig is computed; the prompt-attack filter cannot be proven.", None)
        return
    attack = next((f for f in filters if get(f, "type") == "PROMPT_ATTACK"), None)
    if attack is None:
        report_violation("has no PROMPT_ATTACK content filter: jailbreaks and prompt injection pass.", None)
        return
    if get(attack, "inputStrength") != "HIGH":
        report_violation(f"PROMPT_ATTACK inputStrength is {get(attack, 'inputStrength')!r}; it must be HIGH.", None)
    if get(attack, "inputEnabled") is False or get(attack, "inputAction") == "NONE":
        report_violation("PROMPT_ATTACK only detects (inputEnabled false / inputAction NONE); it must block.", None)


bedrock_guardrail_prompt_attack = ResourceValidationPolicy(
    name="bedrock-guardrail-prompt-attack",
    description="Every guardrail blocks prompt attacks (jailbreak, prompt injection) on input at HIGH strength.",
    validate=validate_prompt_attack,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    remediation_steps="Add GuardrailContentPolicyConfigFiltersConfigArgs(type='PROMPT_ATTACK', input_strength='HIGH', "
    "output_strength='NONE').",
    tags=tags("guardrails"),
)

CONTENT_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumStrength": {
            "type": "string",
            "enum": ["LOW", "MEDIUM", "HIGH"],
            "default": "HIGH",
            "description": "Weakest input and output strength a content filter may use.",
        },
        "requiredCategories": {
            "type": "array",
            "items": {"type": "string", "enum": list(CONTENT_CATEGORIES)},
            "default": list(CONTENT_CATEGORIES),
            "description": "Content filter categories every guardrail must have.",
        },
    }
)


def validate_content_filters(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    config = args.get_config()
    minimum = config.get("minimumStrength", "HIGH")
    filters = _filters(props, "contentPolicyConfig")
    if filters is UNKNOWN:
        report_violation("contentPolicyConfig is computed; the content filters cannot be proven.", None)
        return
    by_type = {get(f, "type"): f for f in filters}
    for category in config.get("requiredCategories", CONTENT_CATEGORIES):
        found = by_type.get(category)
        if found is None:
            report_violation(f"has no {category} content filter.", None)
            continue
        for side in ("input", "output"):
            strength = get(found, f"{side}Strength")
            if _rank(strength) < _rank(minimum):
                report_violation(f"{category} {side}Strength is {strength!r}; at least {minimum}.", None)
            if get(found, f"{side}Enabled") is False or get(found, f"{side}Action") == "NONE":
                report_violation(f"{category} filter does not act on {side}s ({side}Enabled/{side}Action).", None)


bedrock_guardrail_content_filters = ResourceValidationPolicy(
    name="bedrock-guardrail-content-filters",
    description="Every guardrail filters sexual, violent, hateful, insulting and misconduct content on input and "
    "output at or above minimumStrength (HIGH).",
    validate=validate_content_filters,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=CONTENT_SCHEMA,
    remediation_steps="One GuardrailContentPolicyConfigFiltersConfigArgs per category with input_strength and "
    "output_strength at the minimum (the Guardrail component uses HIGH).",
    tags=tags("guardrails"),
)

PII_SCHEMA = PolicyConfigSchema(
    properties={
        "requiredEntityTypes": {
            "type": "array",
            "items": {"type": "string"},
            "default": list(REQUIRED_PII),
            "description": "PII entity types every guardrail must block or anonymise.",
        }
    }
)


def validate_sensitive_information(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    policy = get(props, "sensitiveInformationPolicyConfig")
    if isinstance(policy, list):
        policy = policy[0] if policy else None
    if policy is UNKNOWN:
        report_violation("sensitiveInformationPolicyConfig is computed; the PII policy cannot be proven.", None)
        return
    if policy is None:
        report_violation("has no sensitiveInformationPolicyConfig: PII and secrets flow through unmasked.", None)
        return
    entities = items(policy, "piiEntitiesConfigs")
    acting = {
        get(e, "type")
        for e in ([] if entities is UNKNOWN else entities)
        if get(e, "action") in ("BLOCK", "ANONYMIZE")
        and get(e, "inputAction") != "NONE"
        and get(e, "outputAction") != "NONE"
        and get(e, "outputEnabled") is not False
    }
    missing = [t for t in args.get_config().get("requiredEntityTypes", REQUIRED_PII) if t not in acting]
    if missing:
        report_violation(f"does not block or anonymise the PII types {', '.join(missing)}.", None)


bedrock_guardrail_sensitive_information = ResourceValidationPolicy(
    name="bedrock-guardrail-sensitive-information",
    description="Every guardrail has a PII policy that blocks or anonymises at least requiredEntityTypes "
    "(credentials, card numbers, e-mail, phone).",
    validate=validate_sensitive_information,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=PII_SCHEMA,
    remediation_steps="sensitive_information_policy_config=...(pii_entities_configs=[...(type=..., action='BLOCK' "
    "or 'ANONYMIZE')]).",
    tags=tags("guardrails"),
)


def validate_blocked_messaging(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    for field in ("blockedInputMessaging", "blockedOutputsMessaging"):
        value = get(props, field)
        if value is not UNKNOWN and (not isinstance(value, str) or not value.strip()):
            report_violation(f"{field} is empty: users get no explanation when the guardrail intervenes.", None)


bedrock_guardrail_blocked_messaging = ResourceValidationPolicy(
    name="bedrock-guardrail-blocked-messaging",
    description="Every guardrail tells users, on input and on output, that it blocked the exchange.",
    validate=validate_blocked_messaging,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
    remediation_steps="Set blocked_input_messaging and blocked_outputs_messaging to a helpful sentence.",
    tags=tags("guardrails"),
)

GROUNDING_SCHEMA = PolicyConfigSchema(
    properties={
        "minimumGroundingThreshold": {"type": "number", "minimum": 0, "maximum": 0.99, "default": 0.7},
        "minimumRelevanceThreshold": {"type": "number", "minimum": 0, "maximum": 0.99, "default": 0.5},
    }
)


def _grounding(tier: TierProfile) -> bool:
    return tier.contextual_grounding


def validate_contextual_grounding(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    current = stage.current()
    if not current.tier.contextual_grounding:
        args.not_applicable(f"{current.label} does not require contextual grounding ({which_do(_grounding)})")
    filters = _filters(props, "contextualGroundingPolicyConfig")
    if filters is UNKNOWN:
        report_violation("contextualGroundingPolicyConfig is computed; grounding cannot be proven.", None)
        return
    config = args.get_config()
    by_type = {get(f, "type"): f for f in filters}
    for kind, key in (("GROUNDING", "minimumGroundingThreshold"), ("RELEVANCE", "minimumRelevanceThreshold")):
        minimum = config.get(key, 0.5)
        threshold = number(get(by_type.get(kind), "threshold")) if kind in by_type else None
        if threshold is None or threshold < minimum:
            shown = "missing" if kind not in by_type else f"threshold {threshold}"
            report_violation(
                f"contextual grounding {kind} filter is {shown}; at least {minimum} in {current.label}.", None
            )


bedrock_guardrail_contextual_grounding = ResourceValidationPolicy(
    name="bedrock-guardrail-contextual-grounding",
    description=f"{where(_grounding).capitalize()}, every guardrail checks answers for grounding in and relevance "
    "to the retrieved sources, at or above the configured thresholds (0.7 / 0.5).",
    validate=validate_contextual_grounding,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=GROUNDING_SCHEMA,
    remediation_steps="contextual_grounding_policy_config=...(filters_configs=[...(type='GROUNDING', threshold=0.75), "
    "...(type='RELEVANCE', threshold=0.5)]).",
    tags=tags("guardrails"),
)


# --- bedrock-guardrail-language-tier ------------------------------------------------------------------
# AWS, "Safeguard tiers for guardrails policies": Classic understands English, French and Spanish only; Standard
# needs the guardrail profile of the guardrail's Region (environments/guardrail_tiers.py). pulumi-aws 7.51.1 sets
# a tier on content filters (with prompt attacks) and denied topics only, so those are what is judged.
_TIERED_POLICIES = ("contentPolicyConfig", "topicPolicyConfig")


def _tier_problems(props: dict[str, Any], current: stage.Stage) -> list[str]:
    problems = []
    languages = ", ".join(current.languages)
    for policy in _TIERED_POLICIES:
        config = get(props, policy)
        if isinstance(config, list):
            config = config[0] if config else None
        if config is None:
            continue
        if config is UNKNOWN:
            problems.append(f"{policy} is computed; its safeguard tier cannot be proven.")
            continue
        tiers = items(config, "tierConfigs")
        tier = get(tiers[0], "tierName") if tiers and tiers is not UNKNOWN else None
        if tier != SafeguardTier.STANDARD.value:
            problems.append(
                f"{policy} uses the {tier or 'default (Classic)'} tier, which understands English, French and "
                f"Spanish only; {current.label} declares languages {languages}: use the Standard tier."
            )
    identifier = get(props, "crossRegionConfig.guardrailProfileIdentifier")
    expected = guardrail_profile(current.region) if current.region else None
    if identifier is UNKNOWN:
        return problems
    if not identifier:
        problems.append(
            "has no crossRegionConfig: the Standard tier evaluates through a guardrail profile"
            + (f" ({expected.profile_id} in {current.region})." if expected else ".")
        )
    elif expected is not None and guardrail_profile_by_id(str(identifier)) is not expected:
        problems.append(
            f"crossRegionConfig names {identifier}, not {expected.profile_id}, the guardrail profile of "
            f"{current.region}."
        )
    return problems


def validate_language_tier(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    props = _guardrail_props(args)
    if props is None:
        return
    current = stage.current()
    if required_tier(current.languages) is SafeguardTier.CLASSIC:
        args.not_applicable(
            f"{current.label} declares only languages the Classic tier supports ({', '.join(current.languages)})"
        )
    for problem in _tier_problems(props, current):
        report_violation(problem, None)


bedrock_guardrail_language_tier = ResourceValidationPolicy(
    name="bedrock-guardrail-language-tier",
    description="In a stage whose languages are not all English, French or Spanish (the Classic tier's), every "
    "guardrail's content filters, prompt attacks and denied topics use the Standard tier, through the guardrail "
    "profile of the stage's Region.",
    validate=validate_language_tier,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="tier_configs=[...TierConfigArgs(tier_name='STANDARD')] on content_policy_config and "
    "topic_policy_config, cross_region_config=GuardrailCrossRegionConfigArgs(guardrail_profile_identifier=<the "
    "Region's profile>): the Guardrail component does this from the environment's `languages`.",
    tags=tags("guardrails"),
)


# --- bedrock-agent-role-scoped ------------------------------------------------------------------------

_INVOKE_ACTIONS = ("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")


def _model_scope_problems(model: Any, resources: tuple[str, ...]) -> list[str]:
    """Each InvokeModel resource names one model, and that model is the agent's: its inference profile or the
    foundation model behind it (which AWS requires in every Region the profile routes to, environments/models.py)."""
    problems = []
    own = {model, base_model_id(model)} if isinstance(model, str) else set()
    for resource in resources:
        parts = resource.split(":", 5)
        kind, _, model_id = (parts[5] if len(parts) == 6 else "").partition("/")
        if kind not in ("foundation-model", "inference-profile", "application-inference-profile") or (
            "*" in model_id or "?" in model_id or not model_id
        ):
            problems.append(f"InvokeModel on {resource!r} is not scoped to one model")
        elif own and kind != "application-inference-profile" and model_id not in own:
            problems.append(f"InvokeModel on {resource!r} names another model than the agent's model {model!r}")
    return problems


def _agent_role_problems(graph: StackGraph, agent: Any) -> list[str]:
    roles = graph.deps(agent, "agentResourceRoleArn", IAM_ROLE)
    if not roles:
        return ["agentResourceRoleArn is not a role of this stack, so its permissions cannot be reviewed."]
    problems = []
    model = get(graph.props(agent), "foundationModel")
    for role in roles:
        arns = attached_policy_arns(IAM_ROLE, graph.props(role))
        for attachment in graph.dependents(role, IAM_ROLE_POLICY_ATTACHMENT, prop="role"):
            arns += attached_policy_arns(IAM_ROLE_POLICY_ATTACHMENT, graph.props(attachment))
        problems += [f"role {short_name(role.urn)} has the managed policy {a}" for a in arns if isinstance(a, str)]
        found = documents_of(IAM_ROLE, graph.props(role), (IDENTITY,))
        for policy in graph.dependents(role, IAM_ROLE_POLICY, prop="role"):
            found += documents_of(IAM_ROLE_POLICY, graph.props(policy), (IDENTITY,))
        for _, document in known_documents(found):
            for statement in document.statements:
                if not statement.allows:
                    continue
                if any(a.lower() in ("*", "bedrock:*") for a in statement.actions):
                    problems.append(f"role {short_name(role.urn)} {statement.label} grants all of Bedrock")
                elif any(statement.matches_action(a) for a in _INVOKE_ACTIONS):
                    problems += _model_scope_problems(model, statement.resources)
    return problems


def validate_agent_role_scoped(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for agent in graph.of_type(BEDROCK_AGENT):
        for problem in _agent_role_problems(graph, agent):
            report_violation(f"{problem}.", agent.urn)


bedrock_agent_role_scoped = StackValidationPolicy(
    name="bedrock-agent-role-scoped",
    description="Each agent's service role is a role of this stack with no managed policies (no "
    "AmazonBedrockFullAccess) whose InvokeModel grants name only the agent's own model (its inference profile and "
    "the foundation model behind it).",
    validate=validate_agent_role_scoped,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Give each agent its own role (the Agent component does) with InvokeModel on its own model "
    "only: components/base/models.py model_access(...).statements(...) grants AWS's documented form.",
    tags=tags("guardrails"),
)


# --- bedrock-action-group-confirmation ---------------------------------------------------------------

MUTATING_METHODS = ("post", "put", "patch", "delete")


def _schema(payload: Any) -> Any:
    if not isinstance(payload, str):
        return payload
    try:
        return json.loads(payload)
    except json.JSONDecodeError:
        try:
            return yaml.safe_load(payload)
        except yaml.YAMLError:
            return None


def _unconfirmed_operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, path) of mutating OpenAPI operations without x-requireConfirmation: ENABLED."""
    found = []
    for path, operations in (schema.get("paths") or {}).items():
        for method, operation in (operations or {}).items():
            mutating = method.lower() in MUTATING_METHODS and isinstance(operation, dict)
            if mutating and operation.get("x-requireConfirmation") != "ENABLED":
                found.append((method, path))
    return found


def validate_action_group_confirmation(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type != BEDROCK_ACTION_GROUP:
        return
    props = plain(args.props)
    if get(props, "functionSchema") is not None:
        report_violation(
            "uses functionSchema, which cannot mark mutating functions for user confirmation; describe the tool "
            "with an OpenAPI apiSchema.",
            None,
        )
        return
    if get(props, "apiSchema.s3") is not None:
        report_violation("keeps its OpenAPI schema in S3, out of review; inline it as apiSchema.payload.", None)
        return
    payload = get(props, "apiSchema.payload")
    if payload is UNKNOWN:
        args.not_applicable("apiSchema.payload unknown until `pulumi up`; checked then")
    schema = _schema(payload)
    if not isinstance(schema, dict):
        if get(props, "actionGroupExecutor.customControl") is None and payload is not None:
            report_violation("apiSchema.payload is not a JSON or YAML OpenAPI document.", None)
        return
    for method, path in _unconfirmed_operations(schema):
        report_violation(
            f"{method.upper()} {path} changes state but does not set x-requireConfirmation: ENABLED, so the agent "
            "can act without the user's consent.",
            None,
        )


bedrock_action_group_confirmation = ResourceValidationPolicy(
    name="bedrock-action-group-confirmation",
    description="Agent tools that change state (POST, PUT, PATCH, DELETE operations) require user confirmation "
    "(x-requireConfirmation: ENABLED) before the agent calls them.",
    validate=validate_action_group_confirmation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Mark the tool mutating in its tool.yaml; components/tools/tool.py then sets "
    "x-requireConfirmation.",
    tags=tags("guardrails"),
)


# --- bedrock-collaborators-in-stack ------------------------------------------------------------------


def validate_collaborators(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    graph = StackGraph(args.resources)
    for collaborator in graph.of_type(BEDROCK_AGENT_COLLABORATOR):
        aliases = graph.deps(collaborator, "agentDescriptor", BEDROCK_AGENT_ALIAS)
        if not aliases:
            report_violation(
                "agentDescriptor.aliasArn is not an alias of an agent of this stack, so its guardrail, key and role "
                "are not governed here.",
                collaborator.urn,
            )
            continue
        for alias in aliases:
            if not graph.deps(alias, "agentId", BEDROCK_AGENT):
                report_violation(
                    f"alias {short_name(alias.urn)} does not point at an agent of this stack.", collaborator.urn
                )


bedrock_collaborators_in_stack = StackValidationPolicy(
    name="bedrock-collaborators-in-stack",
    description="Multi-agent collaborators are agents of this stack (so every agent in a conversation is "
    "guard-railed, CMK-encrypted and scoped by this pack).",
    validate=validate_collaborators,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps="Declare the collaborator as an agent of the stage's environment file; the Agent component "
    "wires its alias.",
    tags=tags("guardrails"),
)


POLICIES = [
    bedrock_agent_guardrail_attached,
    bedrock_guardrail_prompt_attack,
    bedrock_guardrail_content_filters,
    bedrock_guardrail_sensitive_information,
    bedrock_guardrail_blocked_messaging,
    bedrock_guardrail_contextual_grounding,
    bedrock_guardrail_language_tier,
    bedrock_agent_role_scoped,
    bedrock_action_group_confirmation,
    bedrock_collaborators_in_stack,
]
