"""docs/asyncapi.yaml as the tests read it: which frames each socket may carry, and
their JSON Schemas.

`Contract.check` takes a frame that went over a socket, finds the document's message
for it (the socket's channel, the direction, the frame's `type`) and validates the
frame against that message's payload, and against the envelope. A frame type the
document does not describe, or a frame that does not fit, fails with every reason.
tests/conferencing/websocket_helpers.py checks every frame the socket tests receive so,
and its `ContractSocket` the frames it sends too.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
# The document's own URI in the registry: its "#/components/..." references resolve in it.
DOCUMENT_URI = "urn:giaoban:asyncapi"

CLIENT, SERVER = "client", "server"


class ContractBroken(AssertionError):
    """A frame the document does not describe, or that does not fit its message."""


@dataclass(frozen=True)
class Message:
    name: str  # its key under components.messages
    pointer: str  # where it is in the document ("/components/messages/<name>")
    type: str  # the `type` its frames carry


@dataclass
class Contract:
    document: dict
    validators: dict[str, Draft7Validator] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = DOCUMENT_PATH) -> "Contract":
        return cls(yaml.safe_load(path.read_text(encoding="utf-8")))

    @cached_property
    def registry(self) -> Registry:
        resource = Resource.from_contents(self.document, default_specification=DRAFT7)
        return Registry().with_resource(DOCUMENT_URI, resource)

    def at(self, pointer: str) -> Any:
        """The node at a JSON pointer ("/a/b" or "#/a/b") of the document."""
        node: Any = self.document
        for part in pointer.lstrip("#").strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def target(self, node: dict, pointer: str = "") -> tuple[str, Any]:
        """(pointer, node) at the end of a chain of `$ref`s starting at `node`."""
        while isinstance(node, dict) and "$ref" in node:
            pointer = node["$ref"].lstrip("#")
            node = self.at(pointer)
        return pointer, node

    # -- Channels and their messages ----------------------------------------------------------

    def channel_of(self, path: str) -> str:
        """The channel whose address matches a socket's path (parameters: one segment)."""
        for name, channel in self.document["channels"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(channel["address"]))
            if re.fullmatch(pattern, path):
                return name
        raise ContractBroken(f"no channel of docs/asyncapi.yaml serves {path}")

    def message(self, reference: dict) -> Message:
        pointer, node = self.target(reference)
        _payload_pointer, payload = self.target(node["payload"])
        return Message(pointer.rsplit("/", 1)[1], pointer, payload["properties"]["type"]["const"])

    def messages(self, channel: str, direction: str) -> list[Message]:
        """What flows on `channel` from the client (the operations the server receives) or
        from the server (what it sends, and the replies to what it receives)."""
        found: dict[str, Message] = {}
        for operation in self.document["operations"].values():
            if self.target(operation["channel"])[0] != f"/channels/{channel}":
                continue
            # The server receives what a client sends, and sends the rest.
            if (operation["action"] == "receive") == (direction == CLIENT):
                references = operation["messages"]
            elif direction == SERVER:
                references = operation.get("reply", {}).get("messages", [])
            else:
                references = []
            for reference in references:
                message = self.message(reference)
                found[message.name] = message
        return list(found.values())

    def message_for(self, channel: str, direction: str, kind: Any) -> Message:
        described = self.messages(channel, direction)
        matching = [message for message in described if message.type == kind]
        if len(matching) != 1:
            raise ContractBroken(
                f"docs/asyncapi.yaml describes no {direction} frame of type {kind!r} on the "
                f"{channel} channel (it has {sorted(message.type for message in described)})"
            )
        return matching[0]

    # -- Validation ---------------------------------------------------------------------------

    def validator(self, pointer: str) -> Draft7Validator:
        validator = self.validators.get(pointer)
        if validator is None:
            validator = self.validators[pointer] = Draft7Validator(
                {"$ref": f"{DOCUMENT_URI}#{pointer}"},
                registry=self.registry,
                format_checker=Draft7Validator.FORMAT_CHECKER,
            )
        return validator

    def problems(self, pointer: str, instance: Any) -> list[str]:
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(frame)'}: {error.message}"
            for error in self.validator(pointer).iter_errors(instance)
        ]

    def check(self, channel: str, direction: str, frame: Any) -> Message:
        """The message `frame` is, once it fits it and the envelope; else ContractBroken."""
        envelope = "ClientEnvelope" if direction == CLIENT else "ServerEnvelope"
        kind = frame.get("type") if isinstance(frame, dict) else None
        message = self.message_for(channel, direction, kind)
        problems = self.problems(f"/components/schemas/{envelope}", frame)
        problems += self.problems(f"{message.pointer}/payload", frame)
        if problems:
            raise ContractBroken(
                f"{direction} frame on {channel} does not fit {message.name}: "
                + "; ".join(problems)
                + f"\n{json.dumps(frame, ensure_ascii=False)[:2000]}"
            )
        return message

    def examples(self) -> Iterator[tuple[Message, dict]]:
        """Every message's examples, as (message, example payload)."""
        for name in self.document["components"]["messages"]:
            message = self.message({"$ref": f"#/components/messages/{name}"})
            for example in self.at(message.pointer).get("examples", []):
                yield message, example["payload"]

    # -- Codes ----------------------------------------------------------------------------------

    def error_codes(self, channel: str) -> set[str]:
        """The codes the error frames of `channel` may carry."""
        message = self.message_for(channel, SERVER, "error")
        content = self.target(self.at(f"{message.pointer}/payload"))[1]["properties"]["content"]
        return set(self.target(content["properties"]["code"])[1]["enum"])

    def close_codes(self, channel: str | None = None) -> set[int]:
        """The close codes of `channel`, or of the document (its info's `x-close-codes`)."""
        if channel is not None:
            return set(self.document["channels"][channel]["x-close-codes"])
        return {entry["code"] for entry in self.document["info"]["x-close-codes"]}
