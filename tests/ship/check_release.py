"""Consistency checks of the release and Action configuration that no
workflow run can check before a release (run by .ci/run; needs PyYAML, which
pre-commit brings into .ci/venv).

    python tests/ship/check_release.py DIST_PLAN_JSON

DIST_PLAN_JSON: the output of `dist plan --output-format=json`.
Prints one line per check and "N passed, N failed"; exits 1 on a failure.
"""

import json
import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("ok - " if condition else "FAIL - ") + name)
    if not condition and detail:
        print("    " + str(detail).replace("\n", "\n    "))


cargo = tomllib.loads((ROOT / "Cargo.toml").read_text())
package = cargo["package"]
pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
dist_config = tomllib.loads((ROOT / "dist-workspace.toml").read_text())
plan = json.loads(Path(sys.argv[1]).read_text())

# ---- the release archives and cargo-binstall --------------------------------
wanted_targets = {
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
}
archives = {
    name: artifact
    for name, artifact in plan["artifacts"].items()
    if artifact["kind"] == "executable-zip"
}
by_target = {a["target_triples"][0]: name for name, a in archives.items()}
check("dist builds archives for the five targets", set(by_target) == wanted_targets, sorted(by_target))
check(
    "every archive has a sha256 file",
    all(a.get("checksum") == f"{name}.sha256" for name, a in archives.items()),
    archives,
)
check("dist pins the version .ci/run installs", plan["dist_version"] == dist_config["dist"]["cargo-dist-version"])
check("static musl Linux builds", all("linux-musl" in t for t in by_target if "linux" in t))

hosting = plan["releases"][0]["hosting"]["github"]
base = hosting["artifact_base_url"] + hosting["artifact_download_path"]
binstall = package["metadata"]["binstall"]
suffix = {"txz": ".tar.xz", "zip": ".zip", "tgz": ".tar.gz"}
for target, name in sorted(by_target.items()):
    settings = dict(binstall)
    settings.update(binstall.get("overrides", {}).get(target, {}))
    url = (
        settings["pkg-url"]
        .replace("{ repo }", package["repository"])
        .replace("{ version }", package["version"])
        .replace("{ name }", package["name"])
        .replace("{ target }", target)
        .replace("{ archive-suffix }", suffix[settings["pkg-fmt"]])
    )
    check(f"binstall URL for {target} is dist's", url == f"{base}/{name}", f"{url} != {base}/{name}")
    # install.sh's naming (tests/ship/action.sh checks install.sh against these names).
    expected = f"milepost-{target}" + (".zip" if "windows" in target else ".tar.xz")
    check(f"archive name for {target} is what the Action downloads", name == expected, name)

# ---- the wheel --------------------------------------------------------------
maturin = pyproject["tool"]["maturin"]
check("pyproject: maturin bindings = bin", maturin.get("bindings") == "bin")
check("pyproject: the PyPI name is the crate's", pyproject["project"]["name"] == package["name"])
check("pyproject: the version is Cargo.toml's", pyproject["project"].get("dynamic") == ["version"])
check(
    "pyproject: the license is Cargo.toml's, files present",
    pyproject["project"]["license"] == package["license"]
    and all((ROOT / f).is_file() for f in pyproject["project"]["license-files"]),
)
jobs = dist_config["dist"]
check("dist runs the wheel and publish jobs", jobs["local-artifacts-jobs"] == ["./build-wheels"]
      and set(jobs["publish-jobs"]) == {"./publish-crates", "./publish-pypi"})
for job in jobs["local-artifacts-jobs"] + jobs["publish-jobs"]:
    path = ROOT / ".github" / "workflows" / (job.removeprefix("./") + ".yml")
    check(f"workflow for dist job {job} exists", path.is_file())

# ---- action.yml ---------------------------------------------------------------
action_text = (ROOT / "action.yml").read_text()
action = yaml.safe_load(action_text)
inputs = set(action["inputs"])
for name in ["version", "paths", "format", "args", "severity", "as-of", "exit-zero", "config",
             "fail-on", "changed-since", "baseline", "working-directory"]:
    check(f"action input {name}", name in inputs)
for name in ["errors", "warnings", "infos", "sarif-file"]:
    check(f"action output {name}", name in action["outputs"])
used = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", action_text))
check("every input used is declared", used <= inputs, used - inputs)
check("every input declared is used", inputs <= used, inputs - used)
steps = action["runs"]["steps"]
check("composite action", action["runs"]["using"] == "composite")
ids = {step.get("id") for step in steps}
referenced = set(re.findall(r"steps\.([A-Za-z0-9_-]+)\.outputs", action_text))
check("every steps.ID referenced exists", referenced <= ids, referenced - ids)
for step in steps:
    if "run" in step:
        check(f"step {step['name']!r}: bash", step.get("shell") == "bash")
        check(f"step {step['name']!r}: no ${{{{ }}}} inside the script", "${{" not in step["run"])
        for script in re.findall(r"\$ACTION_PATH/([^\"' ]+\.sh)", step["run"]):
            check(f"step {step['name']!r}: {script} exists", (ROOT / script).is_file())
run_env = next(step for step in steps if step.get("id") == "check")["env"]
run_sh = (ROOT / ".github/actions/milepost/run.sh").read_text()
read = set(re.findall(r"\$\{?(INPUT_[A-Z_]+)", run_sh))
check("run.sh reads only INPUT_* variables the Action sets", read <= set(run_env), read - set(run_env))
for step in steps:
    if step.get("uses", "").startswith("actions/cache@"):
        check(f"cache step {step['name']!r} has a key", "key" in step["with"])

passed = sum(results)
failed = len(results) - passed
print(f"release config: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
