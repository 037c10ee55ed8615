from tests.e2e.cli_helpers import Mend
import pytest

@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_explore(mend):
    pid = mend.person("Ana Ruiz")
    print(mend("person", "list"))
    rid = mend.open_repair("Ana", "Late specs", what="I delivered the API specs four days late", severity=4)
    print(mend.steps(rid))
    print(mend("next"))
    print(mend("repair","show",rid))
    print(mend.json("next"))
    print(mend.run("repair","show","999"))
    print(mend.run("step","done",rid,"offer_solutions"))
    print(mend("walk", rid))
