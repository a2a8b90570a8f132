"""Beyond one machine: what can be checked here of deploy/Dockerfile, deploy/k8s/ and deploy/classroom.sh.

Images cannot be built and clusters cannot run here, so:
- the Kubernetes manifests validate offline against the API's schemas (kubernetes-validate,
  strict: unknown fields are errors), and they agree with each other and with the Dockerfile
  (labels, ports, probes on /_stcore/health, cookie affinity for websockets, the user id);
- the Dockerfile is slim, pinned, non-root, health-checked and ships the project's config.toml;
- the container's own command (its CMD and ENV, run from the repository root as the image's
  WORKDIR holds the same files) starts the app here: /_stcore/health answers ok, the image's
  HEALTHCHECK command passes, and a page loads over the websocket without an exception;
- hardening (issue 19): the image's files belong to root (read-only to the app), its base is a
  current 3.11 patch release; the pod runs non-root with a read-only root filesystem (and the app,
  watched by an audit hook while it serves two lessons and trains a model, writes nothing outside
  the emptyDir's /tmp), the default seccomp profile, no service account token and a CPU limit; the
  Ingress serves TLS; deploy/classroom.sh listens on 127.0.0.1 by default, refuses to run the app
  as root unless told who runs it, and drops to that user.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import NoReturn

import pytest
import yaml

from labdev.env import in_ci
from labdev.protocol import Session
from labdev.server import free_port, launch, stop, stop_classroom, wait_until_ready
from tests.classroom.classroom_helpers import run_async

ROOT = Path(__file__).resolve().parents[1]
K8S = ROOT / "deploy" / "k8s"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
K8S_VERSIONS = ("1.30.0", "1.37.0")
CLASSROOM = ROOT / "deploy" / "classroom.sh"
#: The oldest Python 3.11 patch release the image may be built on: 3.11.15 (March 2026) is the
#: latest security release when this was written. Raise it with each 3.11 security release.
MIN_PYTHON_PATCH = 15


# --------------------------------------------------------------------------- Dockerfile
def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    buf = ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#") and not buf:
            continue
        if line.rstrip().endswith("\\"):
            buf += line.rstrip()[:-1] + " "
            continue
        full = (buf + line).strip()
        buf = ""
        if full:
            name, _, args = full.partition(" ")
            out.append((name.upper(), args.strip()))
    return out


def one(name: str) -> str:
    found = [a for n, a in instructions() if n == name]
    assert found, f"no {name} in {DOCKERFILE}"
    return found[-1]


def env() -> dict[str, str]:
    values: dict[str, str] = {}
    for n, a in instructions():
        if n == "ENV":
            for part in shlex.split(a):
                k, _, v = part.partition("=")
                values[k] = v
    return values


def test_dockerfile_slim_pinned_non_root_health_checked() -> None:
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", one("FROM")), one("FROM")
    user = one("USER")
    assert user not in ("root", "0")
    uid = re.search(
        r"useradd .*--uid (\d+) .*\b" + user + r"\b",
        one("RUN") + " " + " ".join(a for n, a in instructions() if n == "RUN"),
    )
    assert uid and int(uid.group(1)) >= 1000
    # pinned requirements: the image installs requirements.txt, every line of which is pinned
    assert any("pip install" in a and "-r requirements.txt" in a for n, a in instructions() if n == "RUN")
    reqs = [x.split("#")[0].strip() for x in (ROOT / "requirements.txt").read_text().splitlines()]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", r) for r in reqs if r), reqs
    # the project's config, the app's files
    copies = [a for n, a in instructions() if n == "COPY"]
    assert any(".streamlit/config.toml" in c for c in copies)
    for needed in ("app.py", "attention_core/", "pages/", "ui/"):
        assert any(needed in c for c in copies), needed
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not {".streamlit", "app.py", "pages", "ui", "attention_core"} & set(ignored)
    # health check on /_stcore/health, the port exposed is the port served
    assert "/_stcore/health" in one("HEALTHCHECK")
    assert one("EXPOSE") == env()["STREAMLIT_SERVER_PORT"] == "8501"


def test_dockerfile_app_files_are_read_only_to_the_app_and_the_base_is_current() -> None:
    base = re.fullmatch(r"python:3\.11\.(\d+)-slim-(\w+)", one("FROM"))
    assert base, f"pin the base to a patch release: {one('FROM')}"
    assert int(base.group(1)) >= MIN_PYTHON_PATCH, one("FROM")
    ops = instructions()
    copies = [a for n, a in ops if n == "COPY"]
    assert copies and not any("--chown" in c or "--chmod" in c for c in copies), copies  # root-owned files
    user_at = next(i for i, (n, _) in enumerate(ops) if n == "USER")
    assert all(i < user_at for i, (n, _) in enumerate(ops) if n == "COPY")  # copied as root, before USER
    # nothing under /app is writable by the group or others (the app user is "other")
    assert any(n == "RUN" and re.search(r"chmod -R [^ ]*go=rX[^ ]* /app", a) for n, a in ops)
    assert env()["HOME"] == "/tmp"  # the only writable place (an emptyDir in deploy/k8s)


def _write_watch(folder: Path) -> Path:
    """A ``sitecustomize`` that records every path the process opens for writing, creates, renames
    or removes (Python's audit hooks), one per line in ``$ATTENTION_LAB_WRITE_LOG``."""
    (folder / "sitecustomize.py").write_text(
        textwrap.dedent(
            """
            import os, sys
            _fd = os.open(os.environ["ATTENTION_LAB_WRITE_LOG"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            _WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
            _CHANGES = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.truncate",
                        "os.symlink", "os.link", "os.chmod", "os.chown", "os.utime", "shutil.rmtree"}

            def _hook(event, args):
                if event == "open":
                    path, mode, flags = args
                    if not isinstance(path, (str, bytes)) or not (any(c in str(mode or "") for c in "wax+")
                                                                   or (flags or 0) & _WRITE):
                        return
                elif event in _CHANGES:
                    path = args[0]
                    if not isinstance(path, (str, bytes)):
                        return
                else:
                    return
                path = os.fsdecode(path)
                os.write(_fd, (event + " " + os.path.abspath(path) + "\\n").encode("utf-8", "replace"))

            sys.addaudithook(_hook)
            """
        )
    )
    return folder


def test_container_command_starts_the_app_here(tmp_path: Path) -> None:
    """Run the image's CMD with its ENV (port → a free one, address → loopback) from the repo root,
    and watch what it writes: with a read-only root filesystem only /tmp (HOME, TMPDIR) is writable."""
    cmd = json.loads(one("CMD"))
    assert cmd[:4] == ["python", "-m", "streamlit", "run"] and cmd[4] == "app.py"
    port = free_port()
    writable = tmp_path / "tmp"  # stands for the pod's /tmp (an emptyDir): HOME and TMPDIR
    writable.mkdir()
    (tmp_path / "watch").mkdir()
    watch, writes = _write_watch(tmp_path / "watch"), tmp_path / "writes.log"
    run_env = {
        **os.environ,
        **env(),
        "HOME": str(writable),
        "TMPDIR": str(writable),
        "PYTHONPATH": str(watch),
        "ATTENTION_LAB_WRITE_LOG": str(writes),
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
    }
    probe = tmp_path / "probe.txt"  # the watch itself works: a write it must see
    subprocess.run([sys.executable, "-c", f"open({str(probe)!r}, 'w').close()"], env=run_env, check=True)
    assert f"open {probe}" in writes.read_text(encoding="utf-8")
    writes.unlink()
    log = tmp_path / "container.log"
    proc = launch([sys.executable, *cmd[1:]], log, env=run_env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(proc, url, log, timeout_s=90, on_fail=lambda message: pytest.fail(message, pytrace=False))
        # the image's HEALTHCHECK command, as Docker would run it inside the container
        hc = json.loads(one("HEALTHCHECK").split("CMD", 1)[1].strip())
        assert hc[0] == "python"
        assert subprocess.run([sys.executable, *hc[1:]], env=run_env, timeout=30).returncode == 0

        async def page(name: str) -> None:
            s = Session(url, timeout=90)
            r = await s.load(name)
            await s.close()
            assert r.ok and r.exceptions == 0, (r, s.exception_texts)

        run_async(page("step_by_step"))
        run_async(page("word2vec"))  # trains a model
    finally:
        stop(proc)
    lines = [x.split(" ", 1) for x in writes.read_text(encoding="utf-8").splitlines()]
    outside = sorted({path for _, path in lines if not (path.startswith(str(writable) + os.sep) or path == "/dev/null")})
    assert outside == [], f"the app wrote outside its writable /tmp (readOnlyRootFilesystem would refuse): {outside}"


# --------------------------------------------------------------------------- Kubernetes
def all_manifests() -> list[dict]:
    """Every Kubernetes object of deploy/k8s (the app's and the class database's)."""
    docs: list[dict] = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [doc for doc in yaml.safe_load_all(path.read_text()) if doc and doc.get("kind") != "Kustomization"]
    return docs


def manifests(name: str = "attention-lab") -> dict[str, dict]:
    """The objects named ``name``, by kind (the app's, or ``attention-lab-class-db``'s)."""
    return {doc["kind"]: doc for doc in all_manifests() if doc["metadata"]["name"] == name}


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_manifests_validate_against_the_kubernetes_schemas(version: str) -> None:
    import kubernetes_validate

    assert set(manifests()) == {"Deployment", "Service", "Ingress"}
    assert set(manifests("attention-lab-class-db")) == {"Secret", "Service", "StatefulSet"}
    for doc in all_manifests():
        kubernetes_validate.validate(doc, version, strict=True)
    # the validator does reject a wrong manifest (strict: unknown fields too)
    bad = yaml.safe_load((K8S / "deployment.yaml").read_text())
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["pathh"] = "/"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, version, strict=True)


def test_kustomization_lists_every_manifest() -> None:
    k = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    assert sorted(k["resources"]) == sorted(p.name for p in K8S.glob("*.yaml") if p.name != "kustomization.yaml")


def test_manifests_agree_with_each_other_and_the_image() -> None:
    docs = manifests()
    dep, svc, ing = docs["Deployment"], docs["Service"], docs["Ingress"]
    spec = dep["spec"]
    assert spec["replicas"] >= 2
    pod_labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= pod_labels.items()
    assert svc["spec"]["selector"].items() <= pod_labels.items()
    (c,) = spec["template"]["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": int(env()["STREAMLIT_SERVER_PORT"])}
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}, probe
    # liveness is more patient than readiness: a busy pod leaves the rotation before it is restarted
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > ready["periodSeconds"] * ready["failureThreshold"]
    sec = spec["template"]["spec"]["securityContext"]
    uid = re.search(r"--uid (\d+)", " ".join(a for n, a in instructions() if n == "RUN"))
    assert sec["runAsNonRoot"] is True and sec["runAsUser"] == int(uid.group(1))
    assert c["image"].split(":")[0] in DOCKERFILE.read_text()  # the tag the Dockerfile says to build
    # Service → pods, Ingress → Service
    (sp,) = svc["spec"]["ports"]
    assert sp["targetPort"] == "http"
    backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == svc["metadata"]["name"] and backend["port"]["name"] == sp["name"]
    # cookie affinity (sessions live in one pod) and websocket-friendly timeouts
    ann = ing["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ann["nginx.ingress.kubernetes.io/session-cookie-name"]
    assert int(ann["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert int(ann["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 3600


def test_pods_run_unprivileged_read_only_and_bounded() -> None:
    dep = manifests()["Deployment"]
    pod = dep["spec"]["template"]["spec"]
    assert pod["automountServiceAccountToken"] is False  # the app never calls the Kubernetes API
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    (c,) = pod["containers"]
    sec = c["securityContext"]
    assert sec["readOnlyRootFilesystem"] is True and sec["allowPrivilegeEscalation"] is False
    assert sec["runAsNonRoot"] is True and sec["capabilities"]["drop"] == ["ALL"] and not sec.get("privileged")
    assert sec["seccompProfile"] == {"type": "RuntimeDefault"}
    assert c["resources"]["limits"]["cpu"] and c["resources"]["limits"]["memory"]
    # the one writable path is an emptyDir on /tmp, which HOME points into (as in the image)
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
    assert "emptyDir" in volumes[mounts["/tmp"]] and set(mounts) == {"/tmp"}
    home = next(e["value"] for e in c["env"] if e["name"] == "HOME")
    assert home == env()["HOME"] and (home == "/tmp" or home.startswith("/tmp/"))


def test_the_class_database_is_shared_through_a_secret() -> None:
    """Every replica reads the class store's URL from one Secret; the bundled PostgreSQL runs
    unprivileged like the app, and the Secret's URL names its Service and port (docs/classroom.md)."""
    from urllib.parse import urlsplit

    dep = manifests()["Deployment"]
    (c,) = dep["spec"]["template"]["spec"]["containers"]
    ref = next(e for e in c["env"] if e["name"] == "ATTENTION_LAB_CLASS_DB")["valueFrom"]["secretKeyRef"]
    db = manifests("attention-lab-class-db")
    secret, svc, sts = db["Secret"], db["Service"], db["StatefulSet"]
    assert ref == {"name": secret["metadata"]["name"], "key": "url"}
    url = urlsplit(secret["stringData"]["url"])
    (port,) = svc["spec"]["ports"]
    assert url.scheme == "postgresql+psycopg" and url.hostname == svc["metadata"]["name"] and url.port == port["port"]
    assert svc["spec"]["selector"].items() <= sts["spec"]["template"]["metadata"]["labels"].items()
    pod = sts["spec"]["template"]["spec"]
    (pg_c,) = pod["containers"]
    assert pod["automountServiceAccountToken"] is False and pod["securityContext"]["runAsNonRoot"] is True
    sec = pg_c["securityContext"]
    assert sec["readOnlyRootFilesystem"] is True and sec["allowPrivilegeEscalation"] is False
    assert sec["capabilities"]["drop"] == ["ALL"] and pg_c["resources"]["limits"]["cpu"]
    password = next(e for e in pg_c["env"] if e["name"] == "POSTGRES_PASSWORD")["valueFrom"]["secretKeyRef"]
    assert password == {"name": secret["metadata"]["name"], "key": "password"}
    assert url.password == secret["stringData"]["password"], "the URL and the server use one password"
    assert "Replace the password" in (K8S / "class-db.yaml").read_text()


def test_the_ingress_serves_tls_for_its_hosts() -> None:
    ing = manifests()["Ingress"]
    hosts = {r["host"] for r in ing["spec"]["rules"]}
    (tls,) = ing["spec"]["tls"]
    assert hosts <= set(tls["hosts"]) and tls["secretName"]
    ann = ing["metadata"]["annotations"]
    assert ann["nginx.ingress.kubernetes.io/session-cookie-secure"] == "true"
    assert ann["nginx.ingress.kubernetes.io/ssl-redirect"] == "true"
    assert "secretName" in (K8S / "ingress.yaml").read_text().split("tls:")[0]  # the placeholder is documented


# --------------------------------------------------------------------------- deploy/classroom.sh
def _haproxy() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if os.access("/usr/sbin/haproxy", os.X_OK) else None)
    if found is None:
        if in_ci():
            pytest.fail("haproxy is missing (CI=true: bash scripts/test.sh installs it)", pytrace=False)
        pytest.skip("haproxy is missing")
    return found


def _classroom(args: list[str], tmp: Path, timeout_s: float = 120) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """Start ``deploy/classroom.sh`` with ``args`` (plus a state file); wait until it says ready."""
    state, log = tmp / "classroom.state", tmp / "classroom.log"
    proc = launch(["bash", str(CLASSROOM), *args, "--state", str(state)], log, env=os.environ)

    def fail(message: str) -> NoReturn:
        stop_classroom(proc)
        pytest.fail(f"classroom.sh did not start: {message}", pytrace=False)

    wait_until_ready(
        proc, None, log, timeout_s=timeout_s, ready=lambda: state.exists() and "ready" in state.read_text(), on_fail=fail
    )
    return proc, state, log


def _uid(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))


def _listening(port: int) -> set[str]:
    """The local addresses (hex, as /proc/net/tcp writes them) listening on ``port``."""
    out = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.rsplit(":", 1)
            if state == "0A" and int(p, 16) == port:  # 0A: LISTEN
                out.add(addr)
    return out


def test_classroom_refuses_to_run_the_app_as_root_without_a_named_user(tmp_path: Path) -> None:
    if os.getuid() != 0:
        r = subprocess.run(["bash", str(CLASSROOM), "--user", "root"], capture_output=True, text=True, timeout=30)
        assert r.returncode == 2 and "needs root" in r.stderr
        return
    r = subprocess.run(
        ["bash", str(CLASSROOM), "--replicas", "1", "--state", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert r.returncode == 2 and "refusing to run the app as root" in r.stderr and "--user" in r.stderr
    assert not (tmp_path / "s").exists()  # nothing was started


def test_classroom_listens_on_loopback_by_default(tmp_path: Path) -> None:
    _haproxy()
    port = free_port()
    me = __import__("pwd").getpwuid(os.getuid()).pw_name
    proc, state, _ = _classroom(["--replicas", "1", "--port", str(port), "--user", me], tmp_path)
    try:
        assert _listening(port) == {"0100007F"}, _listening(port)  # 127.0.0.1 only, not 0.0.0.0
    finally:
        stop_classroom(proc)


def test_classroom_drops_to_the_named_user(tmp_path: Path) -> None:
    """Started by root with ``--user nobody``, the replicas and HAProxy run as nobody. The app's own
    Python is not readable by nobody here (it lives under /root), so the replica is a stand-in
    ``python`` that answers ``/_stcore/health`` with the system Python: what is checked is who runs it."""
    if os.getuid() != 0:
        pytest.skip("switching users needs root")
    haproxy = _haproxy()
    system_python = "/usr/bin/python3"
    if not os.access(system_python, os.X_OK) or shutil.which("setpriv") is None:
        pytest.skip("needs /usr/bin/python3 and setpriv")
    import pwd

    nobody = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="classroom-python-"))  # readable by nobody (pytest's tmp is not)
    try:
        folder.chmod(0o755)
        fake = folder / "python"
        fake.write_text(
            textwrap.dedent(
                f"""\
                #!/bin/sh
                # "-m streamlit run app.py ... --server.port P": answer /_stcore/health on P; else the system Python
                if [ "$1" = "-m" ] && [ "$2" = "streamlit" ]; then
                  port=$(echo "$@" | sed -n 's/.*--server.port \\([0-9]*\\).*/\\1/p')
                  exec {system_python} -c '
                import http.server, sys
                class H(http.server.BaseHTTPRequestHandler):
                    def do_GET(self):
                        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
                    def log_message(self, *a): pass
                http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
                ' "$port"
                fi
                exec {system_python} "$@"
                """
            )
        )
        fake.chmod(0o755)
        port = free_port()
        proc, state, _ = _classroom(
            ["--replicas", "1", "--port", str(port), "--user", "nobody", "--python", str(fake)], tmp_path
        )
        try:
            pids = [int(x.split()[2]) for x in state.read_text().splitlines() if x.startswith("replica ")]
            pids += [int(x.split()[1]) for x in state.read_text().splitlines() if x.startswith("haproxy ")]
            assert len(pids) == 2 and {_uid(p) for p in pids} == {nobody.pw_uid}
            assert Path(f"/proc/{pids[-1]}/exe").resolve() == Path(haproxy).resolve()
        finally:
            stop_classroom(proc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
