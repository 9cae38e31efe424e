"""Hypothesis strategies for environment files: every spec a team can write, and single mistakes in one.

Bounds, patterns and enumerations come from the schema (`environments.schema`'s pydantic metadata),
the tier table (`environments.tiers`) and the tool catalog, so the strategies follow the schema as it
evolves. Names are drawn three ways: from the schema's slug pattern, at its edge lengths, and from a
vocabulary of the words the components themselves put into names ("agent", "kb", "sync", "tasks" ...),
so that an ambiguous naming scheme meets the name that collides with it.
"""

from __future__ import annotations

import ast
import copy
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from environments import schema
from environments.catalog import available_tools
from environments.models import CATALOGUE, Lifecycle, ModelUse, reachable
from environments.schema import Agent, Alarms, Budget, Environment, KnowledgeSource, Models, Sizing
from environments.tiers import Tier, profile
from tests.property.budget import BUDGET

TOOLS = tuple(sorted(available_tools()))
# Bedrock's limit, enforced by the schema's collaborator rule (environments/schema.py).
MAX_COLLABORATORS = 10

COMPONENTS_DIR = Path(__file__).resolve().parents[2] / "components"


def platform_name_parts(directory: Path = COMPONENTS_DIR) -> set[str]:
    """The literal parts the components put into physical names (`physical_name(kind, stage, "kb-sync", ...)`)."""
    found: set[str] = set()
    for path in sorted(directory.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "physical_name",
                "bucket_name",
            ):
                found.update(a.value for a in node.args[2:] if isinstance(a, ast.Constant) and isinstance(a.value, str))
            if isinstance(node, ast.keyword) and node.arg == "name_parts" and isinstance(node.value, ast.Tuple):
                found.update(
                    e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
                )
    return found


def _pieces(compound: str) -> set[str]:
    """'agent-tasks-events' -> every run of its words: agent, tasks, events, agent-tasks, tasks-events, ..."""
    words = compound.split("-")
    return {"-".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


# Names are drawn partly from the words the platform itself puts into names, so that a name which
# collides with a platform-derived one ("sync-scheduler" vs the kb-sync scheduler role) gets drawn.
VOCABULARY = tuple(
    sorted(
        {
            piece
            for compound in (*platform_name_parts(), *TOOLS, *(t.value for t in Tier), "x", "a1", "7", "v2")
            for piece in _pieces(compound)
            if re.fullmatch(r"[a-z0-9-]+", piece)
        }
    )
)


# --- constraints read from the schema -----------------------------------------------------------------


def constraints(model: type[BaseModel], field: str) -> dict[str, Any]:
    """ge/gt/le/lt/min_length/max_length/pattern of a field, from its pydantic metadata."""
    found: dict[str, Any] = {}
    for item in model.model_fields[field].metadata:
        for attribute in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(item, attribute, None)
            if value is not None:
                found[attribute] = value
    return found


def item_constraints(model: type[BaseModel], field: str) -> dict[str, Any]:
    """Constraints of the items of a `tuple[Annotated[str, Field(...)], ...]` field."""
    annotation = model.model_fields[field].annotation
    item = typing.get_args(annotation)[0]
    found: dict[str, Any] = {}
    for info in typing.get_args(item)[1:]:
        for meta in getattr(info, "metadata", ()):
            for attribute in ("min_length", "max_length", "pattern"):
                value = getattr(meta, attribute, None)
                if value is not None:
                    found[attribute] = value
    return found


def is_integer(model: type[BaseModel], field: str) -> bool:
    return model.model_fields[field].annotation is int


def numbers(model: type[BaseModel], field: str) -> st.SearchStrategy[int | float]:
    """Every value the schema accepts for a numeric field, its bounds included."""
    c = constraints(model, field)
    if is_integer(model, field):
        low = c["ge"] if "ge" in c else c["gt"] + 1
        return st.integers(low, c["le"])
    low = c.get("ge", c.get("gt"))
    return st.floats(low, c["le"], exclude_min="gt" in c, allow_nan=False, allow_infinity=False)


def numeric_fields(model: type[BaseModel]) -> list[str]:
    return [f for f, info in model.model_fields.items() if info.annotation in (int, float) and constraints(model, f)]


def _accepted(model: type[BaseModel], field: str, value: Any) -> bool:
    try:
        model.model_validate({field: value})
    except ValidationError as error:
        return not any(e["loc"][:1] == (field,) for e in error.errors())
    return True


# Field validators beyond the metadata (Titan v2: 256, 512 or 1024), found by asking the schema.
_dimensions = constraints(Models, "embedding_dimensions")
EMBEDDING_DIMENSIONS = tuple(
    d for d in range(_dimensions["ge"], _dimensions["le"] + 1) if _accepted(Models, "embedding_dimensions", d)
)
SLUG = constraints(Agent, "name")
STAGE = constraints(Environment, "stage")


# --- names ----------------------------------------------------------------------------------------------


def fit(slug: str, length: int) -> str:
    """A slug of exactly `length` characters made from `slug` (repeated or cut), still matching the pattern."""
    text = slug
    while len(text) < length:
        text += "-" + slug
    text = text[:length]
    return text[:-1] + "0" if text.endswith("-") else text


def slugs(min_length: int = SLUG["min_length"], max_length: int = SLUG["max_length"]) -> st.SearchStrategy[str]:
    """Slugs of the schema's pattern: random, edge lengths, and compounds of the platform's own words."""
    words = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map("-".join)
    words = words.map(lambda s: s if s[0].isalpha() else f"n{s}")
    random_ = st.from_regex(schema.SLUG_PATTERN, fullmatch=True)
    edge = st.tuples(st.one_of(words, random_), st.sampled_from((min_length, max_length))).map(lambda t: fit(*t))
    return st.one_of(words, words, random_, edge).map(lambda s: fit(s, min(max(len(s), min_length), max_length)))


def tag_values() -> st.SearchStrategy[str]:
    c = constraints(Agent, "owner")
    text = st.from_regex(c["pattern"], fullmatch=True).map(str.strip).filter(bool)
    return st.one_of(text, st.sampled_from(("platform-team", "Team A", "cc-1001", "a@b.c:x/y=z+1"))).map(
        lambda s: s[: c["max_length"]].strip()
    )


_TEXT = st.characters(categories=("L", "N", "P", "Zs"))


def texts(model: type[BaseModel], field: str) -> st.SearchStrategy[str]:
    """Free text within the field's length bounds (any script: Korean teams write Korean)."""
    c = constraints(model, field)
    low, high = c.get("min_length", 0), c["max_length"]
    short = st.text(_TEXT, min_size=low, max_size=min(high, low + 80)).map(str.strip).filter(lambda s: len(s) >= low)
    longest = short.map(lambda s: (s + " ") * (high // len(s) + 1)).map(lambda s: s[:high].strip())
    return st.one_of(short, longest.filter(lambda s: len(s) >= low))


def emails() -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,20}@[a-z0-9][a-z0-9-]{0,20}\.[a-z]{2,6}", fullmatch=True)


def _callable_from(region: str, use: ModelUse) -> tuple[str, ...]:
    """Every way a stage in `region` may name an Active model of `use`: its id and each profile that reaches it."""
    found = []
    for model in CATALOGUE:
        if model.status() is not Lifecycle.ACTIVE or model.use.generates_text != use.generates_text:
            continue
        references = [model.model_id, *(p.profile_id(model.model_id) for p in model.profiles)]
        found += [r for r in references if reachable(r, region)]
    return tuple(found)


# Valid pins: Active catalogue models the stage's Region can call (environments/models.py).
MODEL_IDS = _callable_from("us-east-1", ModelUse.LIGHT)
EMBEDDING_IDS = _callable_from("us-east-1", ModelUse.EMBEDDING)


def model_ids(known: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(known)


def schedules() -> st.SearchStrategy[str]:
    """Everything the schema accepts: well-formed rate and cron expressions, and whatever else its pattern lets in."""
    one = st.sampled_from(("rate(1 minute)", "rate(1 hour)", "rate(1 day)"))
    rate = st.builds(lambda n, u: f"rate({n} {u})", st.integers(2, 1000), st.sampled_from(("minutes", "hours", "days")))
    cron = st.sampled_from(("cron(0 3 * * ? *)", "cron(15 */6 * * ? *)", "cron(0 8 ? * MON-FRI *)"))
    anything = st.from_regex(constraints(KnowledgeSource, "sync_schedule")["pattern"], fullmatch=True)
    return st.one_of(one, rate, cron, anything)


def section(model: type[BaseModel], required: tuple[str, ...] = ()) -> st.SearchStrategy[dict[str, Any]]:
    """A mapping for a sizing-like model: each numeric field set (anywhere in its bounds) or left to its default."""
    fields = {f: numbers(model, f) for f in numeric_fields(model)}
    return st.fixed_dictionaries(
        {f: s for f, s in fields.items() if f in required},
        optional={f: s for f, s in fields.items() if f not in required},
    )


# --- a whole valid environment ----------------------------------------------------------------------


def knowledge_source(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"name": st.just(name), "description": texts(KnowledgeSource, "description")},
        optional={"sync_schedule": schedules()},
    )


def agent(name: str, sources: list[str], collaborators: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    optional: dict[str, st.SearchStrategy[Any]] = {
        "model_class": st.sampled_from([c.value for c in schema.ModelClass]),
        "tools": st.lists(st.sampled_from(TOOLS), unique=True) if TOOLS else st.just([]),
        "knowledge_sources": st.lists(st.sampled_from(sources), unique=True) if sources else st.just([]),
        "guardrail_profile": st.sampled_from([p.value for p in schema.GuardrailProfile]),
        "idle_session_ttl_minutes": numbers(Agent, "idle_session_ttl_minutes"),
        "memory_days": numbers(Agent, "memory_days"),
    }
    required: dict[str, st.SearchStrategy[Any]] = {
        "name": st.just(name),
        "owner": tag_values(),
        "description": texts(Agent, "description"),
        "instruction": texts(Agent, "instruction"),
    }
    if collaborators:
        required["collaborators"] = st.just(collaborators)
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def collaboration(draw: st.DrawFn, names: list[str]) -> dict[str, list[str]]:
    """Supervisors and the leaf agents each one supervises (at most MAX_COLLABORATORS, never a supervisor)."""
    if len(names) < 2:
        return {}
    supervisors = draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names) - 1))
    leaves = [n for n in names if n not in supervisors]
    return {
        s: draw(
            st.lists(st.sampled_from(leaves), unique=True, min_size=1, max_size=min(MAX_COLLABORATORS, len(leaves)))
        )
        for s in supervisors
    }


ANY_TIER = st.sampled_from(list(Tier))


@st.composite
def environments(
    draw: st.DrawFn,
    tiers: st.SearchStrategy[Tier] = ANY_TIER,
    max_agents: int = BUDGET.max_agents,
    max_sources: int = BUDGET.max_sources,
    stage: st.SearchStrategy[str] | None = None,
) -> dict[str, Any]:
    """A valid environment file (as parsed YAML): any tier, its agent limit, its knowledge and collaboration rules."""
    tier = draw(tiers)
    rules = profile(tier)
    name = draw(stage if stage is not None else slugs(STAGE["min_length"], STAGE["max_length"]))
    count = draw(st.integers(1, min(rules.max_agents, max_agents)), label="agents")
    names = draw(st.lists(slugs(), min_size=count, max_size=count, unique=True), label="agent names")
    source_count = draw(st.integers(1 if rules.requires_knowledge else 0, max(max_sources, 1)), label="sources")
    source_names = draw(st.lists(slugs(), min_size=source_count, max_size=source_count, unique=True))
    supervised = draw(collaboration(names)) if rules.multi_agent_collaboration else {}
    spec: dict[str, Any] = {
        "stage": name,
        "tier": tier.value,
        "owner": draw(tag_values()),
        "cost_center": draw(tag_values()),
        "account": {
            "account_label": draw(slugs()),
            "owner_stage": draw(st.one_of(st.just(name), slugs(STAGE["min_length"], STAGE["max_length"]))),
        },
        "alarm_emails": draw(
            st.lists(emails(), min_size=1, max_size=constraints(Environment, "alarm_emails")["max_length"])
        ),
        "budget": draw(section(Budget, required=("monthly_limit_usd",))),
        "agents": [draw(agent(n, source_names, supervised.get(n, []))) for n in names],
    }
    if source_names or draw(st.booleans()):
        spec["knowledge_sources"] = [draw(knowledge_source(s)) for s in source_names]
    optional = {
        "escalation_emails": st.lists(emails(), max_size=constraints(Environment, "escalation_emails")["max_length"]),
        "alarms": section(Alarms),
        "sizing": section(Sizing),
        # English-only stages may use Classic-tier guardrails; any other language needs the Standard tier.
        "languages": st.sampled_from((["ko", "en"], ["en"], ["ko"], ["en", "fr", "es"], ["ko", "en", "ja"])),
        "models": st.fixed_dictionaries(
            {},
            optional={
                "light": model_ids(MODEL_IDS),
                "strong": model_ids(MODEL_IDS),
                "embedding": model_ids(EMBEDDING_IDS),
                "embedding_dimensions": st.sampled_from(EMBEDDING_DIMENSIONS),
            },
        ),
    }
    spec.update(draw(st.fixed_dictionaries({}, optional=optional)))
    return spec


# --- single mistakes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mistake:
    """One thing wrong with an otherwise valid spec, and the field a good message must name."""

    kind: str
    spec: dict[str, Any]
    field: str  # e.g. "agents[1].name"; an index may be followed by the agent's name in parentheses

    def names_field(self, message: str) -> bool:
        """The message names exactly this field (`agents[0].tools`, also as `agents[0] (helper).tools`)."""
        pattern = re.escape(self.field).replace(r"\]", r"\](?: \([^)]*\))?")
        return re.search(rf"(^|[\s:]){pattern}(?=[: ]|$)", message, re.MULTILINE) is not None


SECTIONS: dict[str, type[BaseModel]] = {
    "": Environment,
    "account": schema.AccountSingletons,
    "budget": Budget,
    "alarms": Alarms,
    "sizing": Sizing,
    "models": Models,
}


def _unknown_keys(model: type[BaseModel]) -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True).filter(lambda k: k not in model.model_fields)


@st.composite
def _unknown_key(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    places = [*SECTIONS, *(f"agents[{i}]" for i in range(len(spec["agents"])))]
    places += [f"knowledge_sources[{i}]" for i in range(len(spec.get("knowledge_sources", [])))]
    place = draw(st.sampled_from(places))
    model = (
        Agent if place.startswith("agents") else KnowledgeSource if place.startswith("knowledge") else SECTIONS[place]
    )
    key = draw(_unknown_keys(model))
    value = draw(st.one_of(st.integers(), st.text(max_size=10), st.booleans()))
    target = _locate(spec, place)
    target[key] = value
    return Mistake("unknown key", spec, f"{place}.{key}" if place else key)


def _locate(spec: dict[str, Any], place: str) -> dict[str, Any]:
    if not place:
        return spec
    match = re.fullmatch(r"(\w+)\[(\d+)\]", place)
    if match:
        return spec[match[1]][int(match[2])]
    return spec.setdefault(place, {})


_NOT_A_NUMBER = st.one_of(st.sampled_from(["lots", "", "1 GB", "ten"]), st.lists(st.integers(), max_size=2))
_NOT_A_STRING = st.one_of(st.integers(), st.lists(st.text(max_size=3), min_size=1, max_size=2), st.just({"a": 1}))


@st.composite
def _wrong_type(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    choices: list[tuple[str, str, st.SearchStrategy[Any]]] = []
    for place, model in SECTIONS.items():
        if place and place != "account":
            choices += [(place, f, _NOT_A_NUMBER) for f in numeric_fields(model)]
            choices.append(("", place, st.one_of(st.text(min_size=1, max_size=5), st.lists(st.integers(), max_size=2))))
    for i in range(len(spec["agents"])):
        choices += [(f"agents[{i}]", f, _NOT_A_STRING) for f in ("name", "owner", "description", "instruction")]
        choices += [(f"agents[{i}]", f, _NOT_A_NUMBER) for f in ("idle_session_ttl_minutes", "memory_days")]
        choices += [
            (f"agents[{i}]", f, st.one_of(st.integers(), st.just({"x": 1}))) for f in ("tools", "knowledge_sources")
        ]
    choices += [("", "stage", _NOT_A_STRING), ("", "owner", _NOT_A_STRING), ("", "agents", st.just("support-bot"))]
    place, field, values = draw(st.sampled_from(choices))
    _locate(spec, place)[field] = draw(values)
    return Mistake("wrong type", spec, f"{place}.{field}" if place else field)


@st.composite
def _out_of_bounds(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    choices = [(place, model, f) for place, model in SECTIONS.items() if place for f in numeric_fields(model)]
    choices += [(f"agents[{i}]", Agent, f) for i in range(len(spec["agents"])) for f in numeric_fields(Agent)]
    place, model, field = draw(st.sampled_from(choices))
    c = constraints(model, field)
    step = st.integers(1, 10**6) if is_integer(model, field) else st.floats(0.5, 1e6)
    below = c.get("ge", c.get("gt"))
    above = draw(step)
    value = draw(st.sampled_from([c["le"] + above, below - above + (0 if "ge" in c else above)]))
    if "gt" in c and value > below and value <= c["le"]:
        value = below
    _locate(spec, place)[field] = value
    return Mistake("out of bounds", spec, f"{place}.{field}")


@st.composite
def _bad_name(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    index = draw(st.integers(0, len(spec["agents"]) - 1))
    name = spec["agents"][index]["name"]
    broken = draw(
        st.sampled_from(
            [
                fit(name, SLUG["max_length"] + 1) if len(name) > 1 else "x" * (SLUG["max_length"] + 1),
                fit(name, SLUG["max_length"]) + "-" + "x" * draw(st.integers(1, 40)),
                name.upper(),
                name + "--x",
                "7" + name,
                name + "-",
                name[:1],
                name.replace(name[0], "_", 1),
            ]
        )
    )
    if broken.lower() == name and broken == name:
        broken = name + "--x"
    spec["agents"][index]["name"] = broken
    return Mistake("bad name", spec, f"agents[{index}].name")


@st.composite
def _duplicate_agent(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    source = draw(st.integers(0, len(spec["agents"]) - 1))
    twin = copy.deepcopy(spec["agents"][source])
    twin.pop("collaborators", None)
    spec["agents"].insert(draw(st.integers(0, len(spec["agents"]))), twin)
    return Mistake("duplicate agent", spec, "agents")


@st.composite
def _unknown_tool(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    index = draw(st.integers(0, len(spec["agents"]) - 1))
    tool = draw(slugs().filter(lambda t: t not in TOOLS))
    tools = list(spec["agents"][index].get("tools", []))
    tools.insert(draw(st.integers(0, len(tools))), tool)
    spec["agents"][index]["tools"] = tools
    return Mistake("unknown tool", spec, f"agents[{index}].tools")


@st.composite
def _undeclared_source(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    index = draw(st.integers(0, len(spec["agents"]) - 1))
    declared = {k["name"] for k in spec.get("knowledge_sources", [])}
    source = draw(slugs().filter(lambda s: s not in declared))
    spec["agents"][index]["knowledge_sources"] = [*spec["agents"][index].get("knowledge_sources", []), source]
    return Mistake("undeclared knowledge source", spec, f"agents[{index}].knowledge_sources")


@st.composite
def _too_many_agents(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    limit = profile(spec["tier"]).max_agents
    template = {k: v for k, v in spec["agents"][0].items() if k != "collaborators"}
    spec["agents"] = [{**template, "name": f"agent-{i}"} for i in range(limit + draw(st.integers(1, 3)))]
    return Mistake("too many agents for the tier", spec, "agents")


def _no_knowledge(spec: dict[str, Any]) -> Mistake:
    spec.pop("knowledge_sources", None)
    for item in spec["agents"]:
        item.pop("knowledge_sources", None)
    return Mistake("tier requires knowledge", spec, "knowledge_sources")


@st.composite
def _collaborators_outside_run(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    index = draw(st.integers(0, len(spec["agents"]) - 1))
    others = [a["name"] for a in spec["agents"] if a is not spec["agents"][index]] or ["helper-agent"]
    spec["agents"][index]["collaborators"] = [draw(st.sampled_from(others))]
    return Mistake("collaborators outside run", spec, f"agents[{index}].collaborators")


@st.composite
def _supervisor_as_collaborator(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    base = {k: v for k, v in spec["agents"][0].items() if k != "collaborators"}
    lead, middle, leaf = (dict(base, name=n) for n in ("lead-agent", "middle-agent", "leaf-agent"))
    middle["collaborators"] = ["leaf-agent"]
    lead["collaborators"] = ["middle-agent"]
    order = draw(st.permutations([lead, middle, leaf]))
    spec["agents"] = order
    return Mistake("a supervisor as collaborator", spec, f"agents[{order.index(lead)}].collaborators")


@st.composite
def _bad_email(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    index = draw(st.integers(0, len(spec["alarm_emails"]) - 1))
    spec["alarm_emails"][index] = draw(st.sampled_from(["oncall", "oncall@example", "on call@example.com", "@x.io"]))
    return Mistake("bad email", spec, f"alarm_emails[{index}]")


@st.composite
def _missing_field(draw: st.DrawFn, spec: dict[str, Any]) -> Mistake:
    choices = [("", f) for f in ("stage", "tier", "owner", "cost_center", "account", "alarm_emails", "budget")]
    choices += [(f"agents[{i}]", f) for i in range(len(spec["agents"])) for f in ("name", "owner", "description")]
    place, field = draw(st.sampled_from(choices))
    _locate(spec, place).pop(field)
    return Mistake("missing field", spec, f"{place}.{field}" if place else field)


@st.composite
def mistakes(draw: st.DrawFn) -> Mistake:
    """A valid spec with exactly one mistake a team can make, and the field the error must name."""
    spec = draw(environments(max_agents=3, max_sources=2))
    kinds: list[st.SearchStrategy[Mistake]] = [
        _unknown_key(spec),
        _wrong_type(spec),
        _out_of_bounds(spec),
        _bad_name(spec),
        _duplicate_agent(spec),
        _unknown_tool(spec),
        _undeclared_source(spec),
        _too_many_agents(spec),
        _bad_email(spec),
        _missing_field(spec),
    ]
    if profile(spec["tier"]).requires_knowledge:
        kinds.append(st.builds(_no_knowledge, st.just(spec)))
    if not profile(spec["tier"]).multi_agent_collaboration:
        kinds.append(_collaborators_outside_run(spec))
    else:
        kinds.append(_supervisor_as_collaborator(spec))
    return draw(st.one_of(kinds))
