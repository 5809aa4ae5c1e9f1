"""How an entry's hash is computed: one place, used to write and to verify."""

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def entry_payload(entry: Any) -> dict[str, Any]:
    return {
        "position": entry.position,
        "created_at": entry.created_at.isoformat(),
        "resident": entry.resident_id,
        "actor": entry.actor_id,
        "actor_role": entry.actor_role,
        "department": entry.department_id,
        "action": entry.action,
        "fields": sorted(entry.fields),
        "purpose": entry.purpose,
        "detail": entry.detail,
        "previous_hash": entry.previous_hash,
    }


def compute_hash(entry: Any) -> str:
    canonical = json.dumps(entry_payload(entry), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
