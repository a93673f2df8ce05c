"""Rendered Kubernetes pods run with Docker, as a kubelet would run them: exactly the rendered
command, args, env (values, Secrets, ConfigMaps, the downward API), Secret and ConfigMap volumes,
emptyDirs, user, read-only root and dropped capabilities; on the host network (127.0.0.1)."""

import base64
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Manifest = dict[str, Any]
_REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")


@dataclass
class ContainerRun:
    """What `docker run` needs for one container of a pod."""

    name: str
    image: str
    entrypoint: list[str] | None
    command: list[str] | None
    env: dict[str, str]
    volumes: dict[str, dict[str, str]] = field(default_factory=dict)
    user: str | None = None
    read_only: bool = False
    cap_drop: list[str] = field(default_factory=list)
    security_opt: list[str] = field(default_factory=list)
    mem_limit: str | None = None
    nano_cpus: int | None = None
    ports: list[int] = field(default_factory=list)

    def docker_kwargs(self) -> dict[str, Any]:
        """Keyword arguments of docker SDK's `containers.run`."""
        return {
            "image": self.image,
            "entrypoint": self.entrypoint,
            "command": self.command,
            "environment": self.env,
            "volumes": self.volumes,
            "user": self.user,
            "read_only": self.read_only,
            "cap_drop": self.cap_drop or None,
            "security_opt": self.security_opt or None,
            "mem_limit": self.mem_limit,
            "nano_cpus": self.nano_cpus,
            "network_mode": "host",
        }


class Cluster:
    """The rendered objects a pod may refer to: Secrets and ConfigMaps by name."""

    def __init__(self, objects: Iterable[Manifest], namespace: str = "saathi") -> None:
        self.objects = [o for o in objects if o]
        self.namespace = namespace
        self.secrets: dict[str, dict[str, str]] = {}
        self.config_maps: dict[str, dict[str, str]] = {}
        for obj in self.objects:
            if obj["kind"] == "Secret":
                self.add_secret(obj["metadata"]["name"], _secret_data(obj))
            elif obj["kind"] == "ConfigMap":
                self.config_maps[obj["metadata"]["name"]] = dict(obj.get("data") or {})

    def add_secret(self, name: str, data: dict[str, str]) -> None:
        """A Secret that exists in the namespace before the chart (made by ops)."""
        self.secrets[name] = data


def _secret_data(obj: Manifest) -> dict[str, str]:
    data = {k: base64.b64decode(v).decode() for k, v in (obj.get("data") or {}).items()}
    return data | dict(obj.get("stringData") or {})


def pod_runs(cluster: Cluster, pod: Manifest, pod_name: str, scratch: Path) -> list[ContainerRun]:
    """Init containers then containers of a pod template, as `docker run` arguments."""
    spec = pod["spec"]
    mounts = _volume_sources(cluster, spec.get("volumes") or [], scratch / pod_name)
    security = spec.get("securityContext") or {}
    return [
        _container_run(cluster, container, pod_name, mounts, security)
        for container in [*(spec.get("initContainers") or []), *spec["containers"]]
    ]


def _volume_sources(cluster: Cluster, volumes: list[Manifest], root: Path) -> dict[str, Path]:
    """Each volume as a host folder: Secret and ConfigMap files written out, emptyDirs empty."""
    sources = {}
    for volume in volumes:
        folder = root / volume["name"]
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o777)
        if "secret" in volume:
            _write_items(folder, cluster.secrets[volume["secret"]["secretName"]], volume["secret"])
        elif "configMap" in volume:
            _write_items(
                folder, cluster.config_maps[volume["configMap"]["name"]], volume["configMap"]
            )
        elif "emptyDir" not in volume:
            raise NotImplementedError(f"volume type of {volume['name']} is not run here")
        sources[volume["name"]] = folder
    return sources


def _write_items(folder: Path, data: dict[str, str], source: Manifest) -> None:
    items = source.get("items") or [{"key": k, "path": k} for k in data]
    for item in items:
        path = folder / item["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data[item["key"]])
        path.chmod(0o444)


def _container_run(
    cluster: Cluster,
    container: Manifest,
    pod_name: str,
    mounts: dict[str, Path],
    pod_security: Manifest,
) -> ContainerRun:
    env = _environment(cluster, container, pod_name)
    security = pod_security | (container.get("securityContext") or {})
    limits = (container.get("resources") or {}).get("limits") or {}
    user = security.get("runAsUser")
    group = security.get("runAsGroup")
    return ContainerRun(
        name=container["name"],
        image=container["image"],
        entrypoint=_expand(container.get("command"), env),
        command=_expand(container.get("args"), env),
        env=env,
        volumes={
            str(mounts[m["name"]]): {
                "bind": m["mountPath"],
                "mode": "ro" if m.get("readOnly") else "rw",
            }
            for m in container.get("volumeMounts") or []
        },
        user=None if user is None else f"{user}:{group if group is not None else user}",
        read_only=bool(security.get("readOnlyRootFilesystem")),
        cap_drop=list((security.get("capabilities") or {}).get("drop") or []),
        security_opt=(
            ["no-new-privileges"] if security.get("allowPrivilegeEscalation") is False else []
        ),
        mem_limit=_memory(limits.get("memory")),
        nano_cpus=_nano_cpus(limits.get("cpu")),
        ports=[p["containerPort"] for p in container.get("ports") or []],
    )


def _environment(cluster: Cluster, container: Manifest, pod_name: str) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            env |= cluster.config_maps[source["configMapRef"]["name"]]
        if "secretRef" in source:
            env |= cluster.secrets[source["secretRef"]["name"]]
    for variable in container.get("env") or []:
        value = _env_value(cluster, variable, pod_name)
        if value is not None:
            env[variable["name"]] = _REFERENCE.sub(lambda m: env.get(m[1], m[0]), value)
    return env


def _env_value(cluster: Cluster, variable: Manifest, pod_name: str) -> str | None:
    if "value" in variable:
        return str(variable["value"])
    source = variable["valueFrom"]
    if "secretKeyRef" in source:
        return _keyed(cluster.secrets, source["secretKeyRef"])
    if "configMapKeyRef" in source:
        return _keyed(cluster.config_maps, source["configMapKeyRef"])
    if "fieldRef" in source:
        return {
            "metadata.name": pod_name,
            "metadata.namespace": cluster.namespace,
            "status.podIP": "127.0.0.1",
            "status.hostIP": "127.0.0.1",
            "spec.nodeName": "loopback",
        }[source["fieldRef"]["fieldPath"]]
    if "resourceFieldRef" in source:
        return None
    raise NotImplementedError(f"env source of {variable['name']} is not run here")


def _keyed(store: dict[str, dict[str, str]], ref: Manifest) -> str | None:
    data = store.get(ref["name"])
    if data is None or ref["key"] not in data:
        if ref.get("optional"):
            return None
        raise KeyError(f"{ref['name']}/{ref['key']} is referenced but does not exist")
    return data[ref["key"]]


def _expand(words: list[str] | None, env: dict[str, str]) -> list[str] | None:
    if words is None:
        return None
    return [_REFERENCE.sub(lambda m: env.get(m[1], m[0]), word) for word in words]


_MEMORY_UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}


def _memory(quantity: str | None) -> str | None:
    if quantity is None:
        return None
    for unit, factor in _MEMORY_UNITS.items():
        if str(quantity).endswith(unit):
            return str(int(float(str(quantity)[: -len(unit)]) * factor))
    return str(quantity)


def _nano_cpus(quantity: str | int | None) -> int | None:
    if quantity is None:
        return None
    text = str(quantity)
    cores = float(text[:-1]) / 1000 if text.endswith("m") else float(text)
    return int(cores * 1e9)
