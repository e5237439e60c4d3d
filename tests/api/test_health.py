from fixtures.api import Api
from ponaccept import __version__


def test_healthz_reports_ok_and_version(api: Api) -> None:
    response = api.anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}
