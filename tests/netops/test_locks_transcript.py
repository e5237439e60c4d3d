import threading
import time
import uuid

import pytest

from fixtures.services import service_unavailable
from ponaccept.netops.locks import LocalOltLocks, OltBusy, RedisOltLocks
from ponaccept.netops.transcript import MASK, TranscriptRecorder, mask_secrets


def test_local_lock_serialises_one_olt_and_parallelises_others() -> None:
    locks = LocalOltLocks()
    inside: list[str] = []
    guard = threading.Lock()
    overlap = threading.Event()
    side_by_side = threading.Event()

    def work(olt: str) -> None:
        with locks.hold(olt, timeout_s=5):
            with guard:
                if olt in inside:
                    overlap.set()
                inside.append(olt)
                if len(set(inside)) == 2:
                    side_by_side.set()
            time.sleep(0.05)
            with guard:
                inside.remove(olt)

    threads = [threading.Thread(target=work, args=(name,)) for name in ["a", "a", "a", "b", "b"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not overlap.is_set()  # never two holders of one OLT
    assert side_by_side.is_set()  # but a and b were held at the same time


def test_local_lock_times_out_with_olt_named() -> None:
    locks = LocalOltLocks()
    with locks.hold("olt-1", 1), pytest.raises(OltBusy, match="olt-1"), locks.hold("olt-1", 0.05):
        pass


def test_redis_lock_is_exclusive_and_owner_released() -> None:
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url("redis://127.0.0.1:6379/15")
    try:
        client.ping()
    except redis.RedisError as exc:
        service_unavailable("Redis", str(exc))
    prefix = f"ponaccept-test-{uuid.uuid4().hex[:8]}:"  # concurrent suites must not share the key
    locks = RedisOltLocks(client, ttl_s=5, prefix=prefix)
    with locks.hold("olt-9", 1):
        assert client.get(f"{prefix}olt-9") is not None
        with pytest.raises(OltBusy), locks.hold("olt-9", 0.1):
            pass
    assert client.get(f"{prefix}olt-9") is None


def test_mask_secrets_hides_values_and_onu_passwords() -> None:
    text = 'ont add 0 5 password-auth "Ab12Cd34Ef" always-on omci desc "T-x"\nlogin hunter2'
    masked = mask_secrets(text, ["hunter2"])
    assert "Ab12Cd34Ef" not in masked and "hunter2" not in masked
    assert f'password-auth "{MASK}"' in masked and 'desc "T-x"' in masked
    assert mask_secrets("onu 3 type ZTE-F660 pw Secret99", []) == f"onu 3 type ZTE-F660 pw {MASK}"


def test_recorder_masks_before_sink() -> None:
    seen = []
    recorder = TranscriptRecorder(secrets={"topsecret"}, sink=seen.append)
    recorder.record("olt-1", "enable", "Password: topsecret", "ok", 3)
    assert seen[0].output == f"Password: {MASK}"
    assert recorder.for_olt("olt-1") == seen
