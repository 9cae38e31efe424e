from __future__ import annotations

from tests.components.harness import Built


def test_only_run_is_behind_a_waf(stages: dict[str, Built]) -> None:
    assert not stages["crawl"].of_type("aws:wafv2/webAcl:WebAcl") and not stages["walk"].of_type(
        "aws:wafv2/webAcl:WebAcl"
    )
    run = stages["run"]
    acl = run.one("aws:wafv2/webAcl:WebAcl")
    groups = [r["statement"].get("managedRuleGroupStatement", {}).get("name") for r in acl.inputs["rules"]]
    assert {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"} <= set(groups)
    association = run.one("aws:wafv2/webAclAssociation:WebAclAssociation")
    assert association.inputs["resourceArn"] == run.one("aws:apigateway/stage:Stage").outputs["arn"]
    logging = run.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration")
    group = run.by_urn(logging.property_dependencies["logDestinationConfigs"][0])
    assert group.inputs["name"].startswith("aws-waf-logs-")
