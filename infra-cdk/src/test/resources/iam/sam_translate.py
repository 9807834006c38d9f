"""Translates a SAM template with AWS's own translator (pip package aws-sam-translator), offline, for the IAM check.

Usage: python3 sam_translate.py TEMPLATE OUTPUT.json [Name=Value ...]
The functions' CodeUri is replaced by a dummy S3 URI (the translator wants one; `sam build` would upload the code),
and managed policy names resolve to their AWS ARNs without calling IAM.
"""
import json
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse

MANAGED = ["AWSLambdaBasicExecutionRole", "AWSLambdaDynamoDBExecutionRole", "AWSLambdaSQSQueueExecutionRole"]


class Policies:
    def load(self):
        return {name: "arn:aws:iam::aws:policy/service-role/" + name for name in MANAGED}


def main():
    with open(sys.argv[1]) as f:
        template = yaml_parse(f.read())
    template.setdefault("Globals", {}).setdefault("Function", {})["CodeUri"] = "s3://ben-iam-check/function.zip"
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.get("Properties", {}).pop("CodeUri", None)
    parameters = dict(kv.split("=", 1) for kv in sys.argv[3:])
    with open(sys.argv[2], "w") as f:
        json.dump(transform(template, parameters, Policies()), f, indent=1)


if __name__ == "__main__":
    main()
