"""A Bedrock agent: its role (scoped to its model, guardrail and knowledge), tools, knowledge and alias.

The agent is always encrypted with the agents CMK, pinned to a published guardrail version, keeps
session-summary memory and expires idle sessions. A supervisor (run tier) is built after its
collaborators, whose aliases it is given (Platform builds leaf agents first).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from components.base.iam import ServiceTrust, Statement
from components.base.location import Location
from components.base.models import model_access
from components.base.naming import Kind, physical_name
from components.base.roles import service_role
from components.knowledge.knowledge_base import KnowledgeBase
from components.security.encryption import Encryption, KeyDomain
from components.security.guardrail import Guardrail
from components.tools.tool import Tool
from environments.schema import Agent as AgentSpec

MAX_RECENT_SESSION_SUMMARIES = 20
ALIAS_NAME = "live"


@dataclass(frozen=True)
class AgentArgs:
    location: Location
    spec: AgentSpec  # the agent as the environment file declares it
    model_id: str  # the model of its class (environment file: models.light or models.strong)
    encryption: Encryption  # the agents key
    guardrail: Guardrail  # the guardrail of its profile
    tools: Mapping[str, Tool] = field(default_factory=dict)  # this agent's tools, by name
    knowledge_bases: Mapping[str, KnowledgeBase] = field(default_factory=dict)  # its knowledge sources, by name
    collaborators: Sequence[Agent] = ()  # leaf agents this one supervises (run tier)


class Agent(pulumi.ComponentResource):
    alias: aws.bedrock.AgentAgentAlias  # typed here: a supervisor reads its collaborators' aliases

    def __init__(self, name: str, args: AgentArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("agent-platform:agents:Agent", name, None, opts)
        location, spec = args.location, args.spec
        self.spec = spec
        self.guardrail = args.guardrail  # the orchestrator and the workflow check answers against it too
        self.model = model_access(args.model_id, location.region, location.account_id, location.partition)
        self.role, policy = service_role(
            name,
            location.stage,
            name_parts=(
                "agent",
                spec.name,
            ),
            description=f"Service role of Bedrock agent {spec.name}",
            trust=ServiceTrust(
                "bedrock.amazonaws.com",
                location.account_id,
                source_arn=location.arn("bedrock", "agent/*"),
                source_arn_like=True,
            ),
            statements=self._statements(args),
            parent=self,
        )
        self.agent = aws.bedrock.AgentAgent(
            f"{name}-agent",
            aws.bedrock.AgentAgentArgs(
                agent_name=physical_name(Kind.BEDROCK_AGENT, location.stage, spec.name),
                description=spec.description,
                instruction=spec.instruction,
                agent_resource_role_arn=self.role.arn,
                foundation_model=self.model.model_id,
                customer_encryption_key_arn=args.encryption.key(KeyDomain.AGENTS).arn,
                idle_session_ttl_in_seconds=spec.idle_session_ttl_minutes * 60,
                guardrail_configurations=[
                    aws.bedrock.AgentAgentGuardrailConfigurationArgs(
                        guardrail_identifier=args.guardrail.guardrail.guardrail_id,
                        guardrail_version=args.guardrail.version.version,
                    )
                ],
                memory_configurations=[
                    aws.bedrock.AgentAgentMemoryConfigurationArgs(
                        enabled_memory_types=["SESSION_SUMMARY"],
                        storage_days=spec.memory_days,
                        session_summary_configurations=[
                            aws.bedrock.AgentAgentMemoryConfigurationSessionSummaryConfigurationArgs(
                                max_recent_sessions=MAX_RECENT_SESSION_SUMMARIES
                            )
                        ],
                    )
                ],
                agent_collaboration="SUPERVISOR" if args.collaborators else "DISABLED",
                prepare_agent=True,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]),
        )
        parts: list[pulumi.Resource] = []
        for tool_name, tool in sorted(args.tools.items()):
            parts += self._action_group(name, location.account_id, tool_name, tool)
        for source, base in sorted(args.knowledge_bases.items()):
            parts.append(
                aws.bedrock.AgentAgentKnowledgeBaseAssociation(
                    f"{name}-{source}-knowledge",
                    aws.bedrock.AgentAgentKnowledgeBaseAssociationArgs(
                        agent_id=self.agent.agent_id,
                        agent_version="DRAFT",
                        knowledge_base_id=base.knowledge_base.id,
                        knowledge_base_state="ENABLED",
                        # Bedrock shows this to the model to decide when to search the knowledge base.
                        description=f"{base.source.description} Cite the documents you use."[:200],
                    ),
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        for collaborator in args.collaborators:
            parts.append(
                aws.bedrock.AgentAgentCollaborator(
                    f"{name}-{collaborator.spec.name}-collaborator",
                    aws.bedrock.AgentAgentCollaboratorArgs(
                        agent_id=self.agent.agent_id,
                        agent_version="DRAFT",
                        collaborator_name=collaborator.spec.name,
                        collaboration_instruction=collaborator.spec.description,
                        agent_descriptor=aws.bedrock.AgentAgentCollaboratorAgentDescriptorArgs(
                            alias_arn=collaborator.alias.agent_alias_arn
                        ),
                        relay_conversation_history="TO_COLLABORATOR",
                        prepare_agent=True,
                    ),
                    opts=pulumi.ResourceOptions(parent=self),
                )
            )
        # The alias publishes a version of the prepared DRAFT: it must come after everything attached to it.
        self.alias = aws.bedrock.AgentAgentAlias(
            f"{name}-alias",
            aws.bedrock.AgentAgentAliasArgs(
                agent_alias_name=ALIAS_NAME,
                agent_id=self.agent.agent_id,
                description=f"Live version of {spec.name}",
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=parts),
        )
        self.register_outputs(
            {
                "agentId": self.agent.agent_id,
                "agentAliasId": self.alias.agent_alias_id,
                "agentArn": self.agent.agent_arn,
            }
        )

    def _statements(self, args: AgentArgs) -> list[Statement]:
        statements = [
            *self.model.statements("InvokeOwnModel"),
            *args.guardrail.apply_statements("ApplyOwnGuardrail", ("bedrock:ApplyGuardrail", "bedrock:GetGuardrail")),
            args.encryption.use(
                KeyDomain.AGENTS, "UseAgentKey", ("kms:Decrypt", "kms:GenerateDataKey"), via=("bedrock",)
            ),
        ]
        if args.knowledge_bases:
            statements.append(
                Statement(
                    sid="RetrieveOwnKnowledge",
                    actions=("bedrock:Retrieve",),
                    resources=tuple(base.arn for _, base in sorted(args.knowledge_bases.items())),
                )
            )
        if args.collaborators:
            statements.append(
                Statement(
                    sid="InvokeCollaborators",
                    actions=("bedrock:InvokeAgent", "bedrock:GetAgentAlias"),
                    resources=tuple(c.alias.agent_alias_arn for c in args.collaborators),
                )
            )
        return statements

    def _action_group(self, name: str, account_id: str, tool_name: str, tool: Tool) -> list[pulumi.Resource]:
        permission = aws.lambda_.Permission(
            f"{name}-{tool_name}-invoke",
            aws.lambda_.PermissionArgs(
                action="lambda:InvokeFunction",
                function=tool.function.function.name,
                principal="bedrock.amazonaws.com",
                source_arn=self.agent.agent_arn,
                source_account=account_id,
            ),
            opts=pulumi.ResourceOptions(parent=self),
        )
        group = aws.bedrock.AgentAgentActionGroup(
            f"{name}-{tool_name}-action-group",
            aws.bedrock.AgentAgentActionGroupArgs(
                action_group_name=tool_name,
                agent_id=self.agent.agent_id,
                agent_version="DRAFT",
                description=tool.manifest.description,
                action_group_state="ENABLED",
                action_group_executor=aws.bedrock.AgentAgentActionGroupActionGroupExecutorArgs(
                    lambda_=tool.function.arn
                ),
                api_schema=aws.bedrock.AgentAgentActionGroupApiSchemaArgs(
                    payload=json.dumps(tool.schema, sort_keys=True)
                ),
                prepare_agent=True,
            ),
            # The permission matters only when the agent calls the tool: both are created in parallel, and
            # the alias (which publishes the agent) waits for both.
            opts=pulumi.ResourceOptions(parent=self),
        )
        return [permission, group]
