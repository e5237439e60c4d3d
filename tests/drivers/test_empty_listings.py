"""A whole-port listing of an empty port is "none", never an error and never a silent success elsewhere."""

import pytest

from ponaccept.drivers import get_driver
from ponaccept.drivers.base import PonPort
from ponaccept.drivers.check import check_read
from ponaccept.drivers.errors import DoesNotExist

EMPTY = "  Failure: The ONT does not exist\n"


def test_huawei_listing_of_an_empty_port_is_empty() -> None:
    driver = get_driver("huawei_smartax")
    assert check_read(driver.list_onus(PonPort(0, 3, 2)), [EMPTY]) == ()
    assert check_read(driver.read_port_optics(PonPort(0, 3, 2)), [EMPTY]) == ()


def test_single_ont_read_of_a_missing_ont_still_raises() -> None:
    driver = get_driver("huawei_smartax")
    with pytest.raises(DoesNotExist):
        check_read(driver.read_onu_detail(PonPort(0, 3, 2), 5), [EMPTY])
