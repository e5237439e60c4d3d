"""Central status vocabularies (NetBox-style ``choices``).

Values are stable English identifiers used in the API and the database; ``label_zh`` gives the
seed's Chinese label shown to users (report headers, schema docs). Where TM Forum has a term, the
docstring names it so integrators can map our states to theirs.
"""

from __future__ import annotations

from enum import StrEnum


class _Labelled(StrEnum):
    """A StrEnum whose members carry a Chinese label from the seed documents."""

    @property
    def label_zh(self) -> str:
        return _LABELS_ZH.get(self.value, self.value)

    @classmethod
    def describe(cls) -> str:
        """``value (中文)`` list, for OpenAPI enum descriptions."""
        return ", ".join(f"{m.value} ({m.label_zh})" for m in cls)


class Vendor(StrEnum):
    HUAWEI = "huawei"
    ZTE = "zte"


class OpticalClass(StrEnum):
    """ITU-T optical budget classes (reference/optics.md C1)."""

    GPON_B_PLUS = "gpon_b+"
    GPON_C_PLUS = "gpon_c+"
    XGSPON_N1 = "xgspon_n1"
    XGSPON_N2 = "xgspon_n2"
    XGSPON_E1 = "xgspon_e1"


class ActivationStatus(_Labelled):
    """Activation of a test ONU (≈ TMF652 resource order item state)."""

    NOT_ACTIVATED = "not_activated"
    ACTIVATING = "activating"
    ACTIVATION_SUCCEEDED = "activation_succeeded"
    ACTIVATION_FAILED = "activation_failed"
    REVOKING = "revoking"
    REVOKED = "revoked"
    REVOKE_FAILED = "revoke_failed"


class TestStatus(_Labelled):
    """Whether the field test of an activation was carried out (run state, not result)."""

    __test__ = False  # not a pytest class

    NOT_DONE = "not_done"
    DONE = "done"


class ProjectStatus(_Labelled):
    """Construction project (工程) through acceptance."""

    DRAFT = "draft"
    TESTING = "testing"
    IN_REVIEW = "in_review"
    ACCEPTED = "accepted"
    RECTIFICATION = "rectification"


class Verdict(_Labelled):
    """Result of a test, separate from its run state (TMF653 as ServiceNow splits it)."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class Direction(StrEnum):
    UPSTREAM = "upstream"
    DOWNSTREAM = "downstream"


_LABELS_ZH: dict[str, str] = {
    "not_activated": "未激活",
    "activating": "激活中",
    "activation_succeeded": "激活成功",
    "activation_failed": "激活失败",
    "revoking": "撤销中",
    "revoked": "已撤销激活",
    "revoke_failed": "撤销失败",
    "not_done": "未完成",
    "done": "已完成",
    "draft": "草稿",
    "testing": "挂测中",
    "in_review": "审核中",
    "accepted": "已验收",
    "rectification": "整改中",
    "pass": "达标",
    "fail": "不达标",
    "inconclusive": "无法判定",
}
