"""The whole stage: composes every component the stage's tier turns on. The only thing __main__ builds.

| layer (seed)              | components                                                         |
|---------------------------|--------------------------------------------------------------------|
| Foundation models         | Agent (model per agent class), Orchestrator (light fallback model) |
| Orchestration             | Orchestrator, Workflow (walk+), AsyncWork (run)                    |
| Tools / action groups     | Tool, Agent action groups                                          |
| Knowledge base            | VectorStore, KnowledgeBase, KnowledgeSync, documents SecureBucket  |
| Memory / session state    | sessions DataTable, agent session-summary memory, memory bucket    |
| Security & governance     | Encryption, Guardrail, IAM in every component, Gateway auth, WAF   |
| Observability             | Observability, AccountSingletons, log groups and tracing everywhere|
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pulumi

from components.account_singletons import AccountSingletons, AccountSingletonsArgs
from components.agent import Agent, AgentArgs
from components.async_work import AsyncWork, AsyncWorkArgs
from components.code_signing import (
    MANIFEST_CONFIG_KEY,
    CodeSigning,
    CodeSigningArgs,
    load_signed_artifacts,
    signing_required,
)
from components.context import DeployContext, deploy_context
from components.encryption import Encryption, EncryptionArgs, KeyDomain
from components.escalation import Escalation, EscalationArgs
from components.gateway import Endpoint, Gateway, GatewayArgs, LambdaBackend, WorkflowBackend
from components.guardrail import Guardrail, GuardrailArgs
from components.identity import UserDirectory, UserDirectoryArgs
from components.knowledge_base import KnowledgeBase, KnowledgeBaseArgs, VectorStore, VectorStoreArgs
from components.knowledge_sync import KnowledgeSync, KnowledgeSyncArgs
from components.observability import Observability, ObservabilityArgs
from components.orchestrator import Orchestrator, OrchestratorArgs
from components.storage import (
    AccessLogBucket,
    AccessLogBucketArgs,
    DataTable,
    DataTableArgs,
    SecureBucket,
    SecureBucketArgs,
)
from components.tool import Tool, ToolArgs
from components.tool_manifest import ToolManifest, ToolManifestError, load_manifest
from components.workflow import Workflow, WorkflowArgs
from environments import Environment
from environments.schema import Agent as AgentSpec


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


class Platform(pulumi.ComponentResource):
    def __init__(self, name: str, args: PlatformArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:index:Platform", name, None, opts)
        environment = args.environment
        # Fail on bad tool manifests before the first resource is registered.
        manifests = [load_manifest(t) for t in sorted({t for a in environment.agents for t in a.tools})]
        tables = tool_tables(manifests)

        ctx = deploy_context(environment, args.region, parent=self)
        child = pulumi.ResourceOptions(parent=self, provider=ctx.provider)
        if signing_required(environment.tier):
            manifest = pulumi.Config().get(MANIFEST_CONFIG_KEY)
            signed = load_signed_artifacts(Path(manifest)) if manifest else None
            signing = CodeSigning(f"{name}-code-signing", CodeSigningArgs(environment.stage, signed), opts=child)
            ctx = replace(ctx, code_signing=signing)
        self.encryption = Encryption(f"{name}-encryption", EncryptionArgs(ctx), opts=child)
        self.observability = Observability(f"{name}-observability", ObservabilityArgs(ctx, self.encryption), opts=child)
        if environment.owns_account_singletons:
            AccountSingletons(f"{name}-account", AccountSingletonsArgs(ctx, self.encryption), opts=child)
        data_key = self.encryption.key(KeyDomain.DATA)
        self.sessions = DataTable(
            f"{name}-sessions",
            DataTableArgs(
                ctx, "sessions", data_key, partition_key="session_id", sort_key="turn", ttl_attribute="expires_at"
            ),
            opts=child,
        )
        knowledge = self._knowledge(name, ctx, child)
        guardrails = {
            profile: Guardrail(
                f"{name}-{profile.value}-guardrail",
                GuardrailArgs(ctx, profile, self.encryption.key(KeyDomain.AGENTS)),
                opts=child,
            )
            for profile in sorted({a.guardrail_profile for a in environment.agents})
        }
        table_components = {
            logical: DataTable(
                f"{name}-{logical}-table", DataTableArgs(ctx, logical, data_key, partition_key=key), opts=child
            )
            for logical, key in sorted(tables.items())
        }
        tools = {
            m.name: Tool(f"{name}-{m.name}-tool", ToolArgs(ctx, m, self.encryption, table_components), opts=child)
            for m in manifests
        }
        escalation = (
            Escalation(f"{name}-escalation", EscalationArgs(ctx, self.encryption, self.observability), opts=child)
            if ctx.tier.workflow
            else None
        )
        self.agents = self._agents(name, ctx, guardrails, tools, knowledge, child)
        endpoints, workflows = [], {}
        for spec in entry_agents(environment):
            agent, guardrail = self.agents[spec.name], guardrails[spec.guardrail_profile]
            orchestrator = Orchestrator(
                f"{name}-{spec.name}-orchestrator",
                OrchestratorArgs(ctx, agent, guardrail, self.sessions, self.encryption, escalation),
                opts=child,
            )
            if escalation is None:  # crawl: the API calls the orchestrator directly
                endpoints.append(Endpoint(spec.name, LambdaBackend(orchestrator.function.function)))
                continue
            workflow = Workflow(
                f"{name}-{spec.name}-workflow",
                WorkflowArgs(
                    ctx,
                    agent,
                    orchestrator,
                    guardrail,
                    {k: knowledge[k] for k in spec.knowledge_sources},
                    escalation,
                    self.encryption,
                ),
                opts=child,
            )
            workflows[spec.name] = workflow
            endpoints.append(Endpoint(spec.name, WorkflowBackend(workflow.state_machine)))
        if ctx.tier.async_work:
            AsyncWork(f"{name}-async", AsyncWorkArgs(ctx, self.encryption, self.observability, workflows), opts=child)
        users = (
            UserDirectory(f"{name}-users", UserDirectoryArgs(ctx), opts=child)
            if ctx.tier.api_auth.value == "cognito"
            else None
        )
        self.gateway = Gateway(f"{name}-gateway", GatewayArgs(ctx, self.encryption, endpoints, users), opts=child)
        self.users = users
        self.register_outputs({"apiUrl": self.gateway.url})

    def _knowledge(self, name: str, ctx: DeployContext, child: pulumi.ResourceOptions) -> dict[str, KnowledgeBase]:
        sources = ctx.environment.knowledge_sources
        if not sources:
            return {}
        # Server access logs of the documents bucket: only a stage with documents has something to log.
        access_logs = AccessLogBucket(f"{name}-access-logs", AccessLogBucketArgs(ctx), opts=child)
        documents = SecureBucket(
            f"{name}-documents",
            SecureBucketArgs(
                ctx, "documents", self.encryption.key(KeyDomain.DATA), access_logs, eventbridge_notifications=True
            ),
            opts=child,
        )
        vectors = VectorStore(f"{name}-vectors", VectorStoreArgs(ctx, self.encryption), opts=child)
        bases = {
            source.name: KnowledgeBase(
                f"{name}-{source.name}-kb",
                KnowledgeBaseArgs(ctx, source, self.encryption, vectors, documents),
                opts=child,
            )
            for source in sources
        }
        KnowledgeSync(
            f"{name}-kb-sync",
            KnowledgeSyncArgs(ctx, self.encryption, self.observability, documents, bases),
            opts=child,
        )
        return bases

    def _agents(
        self,
        name: str,
        ctx: DeployContext,
        guardrails: dict,
        tools: dict[str, Tool],
        knowledge: dict[str, KnowledgeBase],
        child: pulumi.ResourceOptions,
    ) -> dict[str, Agent]:
        """Leaf agents first: a supervisor needs its collaborators' aliases."""
        specs = sorted(ctx.environment.agents, key=lambda a: (bool(a.collaborators), a.name))
        agents: dict[str, Agent] = {}
        for spec in specs:
            agents[spec.name] = Agent(
                f"{name}-{spec.name}-agent",
                AgentArgs(
                    ctx=ctx,
                    spec=spec,
                    encryption=self.encryption,
                    guardrail=guardrails[spec.guardrail_profile],
                    tools={t: tools[t] for t in spec.tools},
                    knowledge_bases={k: knowledge[k] for k in spec.knowledge_sources},
                    collaborators=[agents[c] for c in spec.collaborators],
                ),
                opts=child,
            )
        return agents
