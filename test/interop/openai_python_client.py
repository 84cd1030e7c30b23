"""Embeds with the official Python openai client against an Embedline server.

Reads {"base_url", "model", "inputs"} as JSON on stdin, where inputs is a list of strings or of
token-id lists, calls client.embeddings.create with the client's defaults (it asks for base64
and decodes it itself), and prints {"vectors": [...], "prompt_tokens": n} as JSON.
"""
import json
import sys

from openai import OpenAI

request = json.load(sys.stdin)
client = OpenAI(base_url=request["base_url"], api_key="unused", max_retries=0)
response = client.embeddings.create(model=request["model"], input=request["inputs"])
json.dump({"vectors": [item.embedding for item in response.data], "prompt_tokens": response.usage.prompt_tokens}, sys.stdout)
