"""The whole stage: composes every component the stage's tier turns on. The only thing __main__ builds.

Platform is the one place that reads the environment file and the tier matrix: each component is handed
its slice (names, keys, tier values, sizing) as named inputs, so a component's `*Args` say what it
depends on.

| layer (seed)              | components                                                         |
|---------------------------|--------------------------------------------------------------------|
| Foundation models         | Agent (model per agent class), Orchestrator (light fallback model) |
| Orchestration             | Orchestrator, Workflow, TurnReplay, Escalation (walk+), AsyncWork  |
| Tools / action groups     | Tool, Agent action groups                                          |
| Knowledge base            | VectorStore, KnowledgeBase, KnowledgeSync, documents SecureBucket  |
| Memory / session state    | sessions DataTable, agent session-summary memory                   |
| Security & governance     | Encryption, Guardrail, IAM in every component, Gateway auth, WAF   |
| Observability             | Observability, AccountSingletons, log groups and tracing everywhere|
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi

from components.agents.agent import Agent, AgentArgs
from components.api.api_stage import Throttling
from components.api.chat_route import Endpoint, LambdaBackend, WorkflowBackend
from components.api.gateway import Gateway, GatewayArgs
from components.api.user_directory import UserDirectory, UserDirectoryArgs
from components.base.location import Location
from components.base.logs import LogGroupSettings
from components.base.models import stage_invocations
from components.compute.lambda_function import FunctionBaseline, FunctionSize
from components.knowledge.knowledge_base import EmbeddingModel, KnowledgeBase, KnowledgeBaseArgs, KnowledgeDeletion
from components.knowledge.knowledge_sync import KnowledgeSync, KnowledgeSyncArgs
from components.knowledge.vector_store import VectorStore, VectorStoreArgs
from components.observability.account_singletons import AccountSingletons, AccountSingletonsArgs
from components.observability.observability import Observability, ObservabilityArgs
from components.orchestration.async_work import AsyncWork, AsyncWorkArgs
from components.orchestration.escalation import Escalation, EscalationArgs
from components.orchestration.orchestrator import Orchestrator, OrchestratorArgs
from components.orchestration.turn_replay import TurnReplay, TurnReplayArgs
from components.orchestration.workflow import Workflow, WorkflowArgs
from components.security.code_signing import (
    MANIFEST_CONFIG_KEY,
    CodeSigning,
    CodeSigningArgs,
    SignedPackage,
    load_signed_artifacts,
)
from components.security.encryption import Encryption, EncryptionArgs, KeyDomain
from components.security.guardrail import Guardrail, GuardrailArgs, safeguard
from components.stage_provider import stage_provider
from components.storage.access_log_bucket import AccessLogBucket, AccessLogBucketArgs
from components.storage.data_table import DataTable, DataTableArgs, TableProtection
from components.storage.secure_bucket import SecureBucket, SecureBucketArgs
from components.tools.manifest import ToolManifest, ToolManifestError, load_manifest
from components.tools.tool import Tool, ToolArgs
from environments import Environment, profile
from environments.models import ModelUse
from environments.schema import Agent as AgentSpec
from environments.schema import GuardrailProfile, ModelClass
from environments.tiers import ApiAuth


@dataclass(frozen=True)
class PlatformArgs:
    environment: Environment
    region: str


def entry_agents(environment: Environment) -> list[AgentSpec]:
    """Agents users talk to: everything but the collaborators a supervisor reaches for them."""
    collaborators = {name for agent in environment.agents for name in agent.collaborators}
    return [agent for agent in environment.agents if agent.name not in collaborators]


def tool_tables(manifests: list[ToolManifest]) -> dict[str, str]:
    """Logical table -> partition key, for every table the stage's tools need; tools must agree on keys."""
    tables: dict[str, str] = {}
    for manifest in manifests:
        for logical, table in manifest.tables.items():
            if tables.setdefault(logical, table.partition_key) != table.partition_key:
                raise ToolManifestError(
                    f"tools disagree on table {logical!r}: partition key {tables[logical]!r} vs "
                    f"{table.partition_key!r} ({manifest.name})"
                )
    return tables


def agent_model(environment: Environment, spec: AgentSpec) -> str:
    """The model of the agent's class: the seed's hybrid strategy (light for routing, strong for reasoning)."""
    return environment.models.strong if spec.model_class is ModelClass.STRONG else environment.models.light


def signed_artifacts() -> dict[str, SignedPackage] | None:
    """The pipeline's signed packages (stack config `agent-platform:signedArtifacts`), or None without a manifest."""
    manifest = pulumi.Config().get(MANIFEST_CONFIG_KEY)
    return load_signed_artifacts(Path(manifest)) if manifest else None


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:index:Platform", name, None, opts)
        environment, tier = args.environment, profile(args.environment.tier)
        # Fail on bad tool manifests before the first resource is registered.
        manifests = [load_manifest(t) for t in sorted({t for a in environment.agents for t in a.tools})]
        tables = tool_tables(manifests)
        # And on models or a guardrail tier the stage's Region cannot serve, before the first resource too.
        self.models = stage_invocations(environment.models, args.region)
        safeguard(environment.languages, args.region)
        signed = signed_artifacts() if tier.code_signing else None

        provider, location = stage_provider(environment, args.region, parent=self)
        child = pulumi.ResourceOptions(parent=self, provider=provider)
        self.encryption = Encryption(
            f"{name}-encryption",
            EncryptionArgs(
                location,
                deletion_window_days=tier.kms_deletion_window_days,
                retain_on_delete=tier.retain_on_delete,
                workflow_log_delivery=tier.workflow,
            ),
            opts=child,
        )
        data_key = self.encryption.key(KeyDomain.DATA)
        logs = LogGroupSettings(
            key=self.encryption.key(KeyDomain.LOGS),
            retention_days=tier.log_retention_days,
            deletion_protection=tier.deletion_protection,
            retain_on_delete=tier.retain_on_delete,
        )
        signing = (
            CodeSigning(f"{name}-code-signing", CodeSigningArgs(environment.stage, signed), opts=child)
            if tier.code_signing
            else None
        )
        functions = FunctionBaseline(location, self.encryption, logs, signing)
        self.observability = Observability(
            f"{name}-observability",
            ObservabilityArgs(location, data_key, environment.alarm_emails, environment.alarms, environment.budget),
            opts=child,
        )
        if environment.owns_account_singletons:
            AccountSingletons(
                f"{name}-account", AccountSingletonsArgs(location, environment.account.account_label, logs), opts=child
            )
        protection = TableProtection(tier.point_in_time_recovery, tier.deletion_protection, tier.retain_on_delete)
        self.sessions = DataTable(
            f"{name}-sessions",
            DataTableArgs(
                location,
                "sessions",
                data_key,
                protection,
                partition_key="session_id",
                sort_key="turn",
                ttl_attribute="expires_at",
            ),
            opts=child,
        )
        knowledge = self._knowledge(name, environment, functions, child)
        guardrails = {
            guardrail_profile: Guardrail(
                f"{name}-{guardrail_profile.value}-guardrail",
                GuardrailArgs(
                    location,
                    guardrail_profile,
                    self.encryption.key(KeyDomain.AGENTS),
                    tier.contextual_grounding,
                    environment.languages,
                ),
                opts=child,
            )
            for guardrail_profile in sorted({a.guardrail_profile for a in environment.agents})
        }
        table_components = {
            logical: DataTable(
                f"{name}-{logical}-table",
                DataTableArgs(location, logical, data_key, protection, partition_key=key),
                opts=child,
            )
            for logical, key in sorted(tables.items())
        }
        sizing = environment.sizing
        tool_size = FunctionSize(sizing.lambda_memory_mb, sizing.tool_timeout_seconds)
        tools = {
            m.name: Tool(f"{name}-{m.name}-tool", ToolArgs(functions, m, table_components, tool_size), opts=child)
            for m in manifests
        }
        escalation = (
            Escalation(
                f"{name}-escalation",
                EscalationArgs(
                    functions,
                    self.observability,
                    notify_emails=environment.escalation_emails or environment.alarm_emails,
                    retain_on_delete=tier.retain_on_delete,
                ),
                opts=child,
            )
            if tier.workflow
            else None
        )
        self.agents = self._agents(name, environment, location, guardrails, tools, knowledge, child)
        endpoints, workflows = self._entry_points(name, environment, functions, knowledge, escalation, child)
        if tier.async_work:
            AsyncWork(
                f"{name}-async",
                AsyncWorkArgs(location, data_key, self.observability, workflows, tier.retain_on_delete),
                opts=child,
            )
        users = (
            UserDirectory(
                f"{name}-users",
                UserDirectoryArgs(location, tier.user_pool_mfa, tier.deletion_protection, tier.retain_on_delete),
                opts=child,
            )
            if tier.api_auth is ApiAuth.COGNITO
            else None
        )
        self.gateway = Gateway(
            f"{name}-gateway",
            GatewayArgs(
                location,
                endpoints,
                users,
                logs,
                Throttling(sizing.api_rate_limit, sizing.api_burst_limit),
                web_firewall=tier.waf,
            ),
            opts=child,
        )
        self.users = users
        self.register_outputs({"apiUrl": self.gateway.url})

    def _knowledge(
        self, name: str, environment: Environment, functions: FunctionBaseline, child: pulumi.ResourceOptions
    ) -> dict[str, KnowledgeBase]:
        sources = environment.knowledge_sources
        if not sources:
            return {}
        location, tier = functions.location, profile(environment.tier)
        data_key = self.encryption.key(KeyDomain.DATA)
        # Server access logs of the documents bucket: only a stage with documents has something to log.
        access_logs = AccessLogBucket(
            f"{name}-access-logs",
            AccessLogBucketArgs(location, tier.log_retention_days, tier.retain_on_delete),
            opts=child,
        )
        documents = SecureBucket(
            f"{name}-documents",
            SecureBucketArgs(
                location, "documents", data_key, access_logs, tier.retain_on_delete, eventbridge_notifications=True
            ),
            opts=child,
        )
        vectors = VectorStore(f"{name}-vectors", VectorStoreArgs(location, data_key, tier.retain_on_delete), opts=child)
        embedding = EmbeddingModel(self.models[ModelUse.EMBEDDING].model_id, environment.models.embedding_dimensions)
        on_delete = KnowledgeDeletion(tier.retain_on_delete, tier.knowledge_data_deletion_policy)
        bases = {
            source.name: KnowledgeBase(
                f"{name}-{source.name}-kb",
                KnowledgeBaseArgs(location, source, embedding, self.encryption, vectors, documents, on_delete),
                opts=child,
            )
            for source in sources
        }
        KnowledgeSync(
            f"{name}-kb-sync",
            KnowledgeSyncArgs(functions, self.observability, documents, bases, tier.retain_on_delete),
            opts=child,
        )
        return bases

    def _agents(
        self,
        name: str,
        environment: Environment,
        location: Location,
        guardrails: dict[GuardrailProfile, Guardrail],
        tools: dict[str, Tool],
        knowledge: dict[str, KnowledgeBase],
        child: pulumi.ResourceOptions,
    ) -> dict[str, Agent]:
        """Leaf agents first: a supervisor needs its collaborators' aliases."""
        specs = sorted(environment.agents, key=lambda a: (bool(a.collaborators), a.name))
        agents: dict[str, Agent] = {}
        for spec in specs:
            agents[spec.name] = Agent(
                f"{name}-{spec.name}-agent",
                AgentArgs(
                    location=location,
                    spec=spec,
                    model_id=agent_model(environment, spec),
                    encryption=self.encryption,
                    guardrail=guardrails[spec.guardrail_profile],
                    tools={t: tools[t] for t in spec.tools},
                    knowledge_bases={k: knowledge[k] for k in spec.knowledge_sources},
                    collaborators=[agents[c] for c in spec.collaborators],
                ),
                opts=child,
            )
        return agents

    def _entry_points(
        self,
        name: str,
        environment: Environment,
        functions: FunctionBaseline,
        knowledge: dict[str, KnowledgeBase],
        escalation: Escalation | None,
        child: pulumi.ResourceOptions,
    ) -> tuple[list[Endpoint], dict[str, Workflow]]:
        """Per entry agent: its orchestrator, and from walk on the workflow the API starts instead."""
        sizing, tier = environment.sizing, profile(environment.tier)
        endpoints: list[Endpoint] = []
        workflows: dict[str, Workflow] = {}
        for spec in entry_agents(environment):
            turn_replay = (
                TurnReplay(
                    f"{name}-{spec.name}-turn-replay",
                    TurnReplayArgs(
                        functions.location,
                        self.encryption,
                        self.observability,
                        agent=spec.name,
                        consumer_timeout_seconds=sizing.orchestrator_timeout_seconds,
                        retain_on_delete=tier.retain_on_delete,
                    ),
                    opts=child,
                )
                if tier.workflow
                else None
            )
            orchestrator = Orchestrator(
                f"{name}-{spec.name}-orchestrator",
                OrchestratorArgs(
                    functions,
                    self.agents[spec.name],
                    self.sessions,
                    session_ttl_hours=sizing.session_ttl_hours,
                    fallback_model_id=environment.models.light,
                    escalation=escalation,
                    turn_replay=turn_replay,
                    size=FunctionSize(sizing.lambda_memory_mb, sizing.orchestrator_timeout_seconds),
                    language=environment.languages[0],
                ),
                opts=child,
            )
            if escalation is None or turn_replay is None:  # crawl: the API calls the orchestrator directly
                endpoints.append(Endpoint(spec.name, LambdaBackend(orchestrator.function.function)))
                continue
            workflow = Workflow(
                f"{name}-{spec.name}-workflow",
                WorkflowArgs(
                    functions.location,
                    orchestrator,
                    {k: knowledge[k] for k in spec.knowledge_sources},
                    escalation,
                    turn_replay,
                    self.encryption,
                    functions.logs,
                    tier.step_functions_log_level,
                ),
                opts=child,
            )
            workflows[spec.name] = workflow
            endpoints.append(Endpoint(spec.name, WorkflowBackend(workflow.state_machine)))
        return endpoints, workflows
