"""The relational engine of the inventory: ibis expressions on DuckDB (default) or Apache Spark.

The inventory's joins and group-bys (:mod:`xietong.accounting.columnar`) are written once as
ibis expressions and executed by the engine chosen here:

- ``duckdb`` (default): an in-process DuckDB database; tables are handed over as Arrow.
- ``spark``: PySpark, ``local[2]`` unless ``XIETONG_SPARK_MASTER`` names a cluster
  (``spark://host:7077``, ``yarn``, …). Needs the ``spark`` extra (``pip install
  'xietong[spark]'``) and a Java runtime.

The engine is picked by the ``XIETONG_ENGINE`` environment variable (``duckdb`` or ``spark``)
or by :func:`engine`'s argument; one engine of each kind is kept per process. A DuckDB
connection is not safe for concurrent use, so every call into an engine holds its lock.
"""

from __future__ import annotations

import itertools
import os
import threading
import weakref
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import pandas as pd
import pyarrow as pa

from xietong.errors import XietongError

ENGINES = ("duckdb", "spark")


class EngineError(XietongError):
    """The engine asked for is unknown or cannot start."""


@dataclass(eq=False)
class Engine:
    """One ibis back-end with the tables registered in it."""

    name: str
    backend: Any
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _names: itertools.count[int] = field(default_factory=itertools.count, repr=False)
    _sql: dict[Hashable, str] = field(default_factory=dict, repr=False)

    def register(self, data: pd.DataFrame | pa.Table, prefix: str) -> ibis.Table:
        """``data`` as a temporary table of the engine (dropped when the returned table
        expression is garbage-collected)."""
        if self.name != "duckdb":
            return self.materialise(ibis.memtable(_arrow(data)), prefix)
        name = f"xt_{prefix}_{next(self._names)}"
        with self.lock:
            # a view over the frame or Arrow data, without a copy
            self.backend.con.register(name, data)
            table = self.backend.table(name)
        weakref.finalize(table, self._unregister, name)
        return table

    def materialise(self, expr: ibis.Table, prefix: str) -> ibis.Table:
        """The result of ``expr`` computed once and kept as a temporary table of the engine."""
        name = f"xt_{prefix}_{next(self._names)}"
        with self.lock:
            if self.name == "spark":
                # Spark has no temporary tables: a temporary view, cached in memory
                self.backend.create_view(name, obj=expr, overwrite=True)
                self.backend.raw_sql(f"CACHE TABLE {name}")
                table = self.backend.table(name)
            else:
                table = self.backend.create_table(name, obj=expr, temp=True)
        weakref.finalize(table, self._drop, name)
        return table

    def to_pandas(self, expr: ibis.Expr) -> pd.DataFrame:
        """Execute ``expr`` on this engine into a pandas frame."""
        with self.lock:
            out = self.backend.to_pyarrow(expr)
        return pd.DataFrame(out.to_pandas()) if isinstance(out, pa.Table) else pd.DataFrame(out)

    def to_arrow(self, expr: ibis.Expr) -> pa.Table:
        """Execute ``expr`` on this engine into an Arrow table."""
        with self.lock:
            out = self.backend.to_pyarrow(expr)
        return out if isinstance(out, pa.Table) else pa.Table.from_pandas(pd.DataFrame(out))

    def query(
        self,
        shape: Hashable,
        build: Callable[[Mapping[str, ibis.Table]], ibis.Table],
        inputs: Mapping[str, ibis.Table],
    ) -> pa.Table:
        """``build(inputs)`` executed into Arrow. On DuckDB the expression is compiled once per
        ``shape`` and input schemas (on stand-in tables) and its SQL reused with the inputs'
        names, so a repeated query costs no compilation."""
        if self.name != "duckdb":
            return self.to_arrow(build(inputs))
        sql = self._template(shape, build, inputs)
        with self.lock:
            return self.backend.con.sql(sql).to_arrow_table()

    def materialise_query(
        self,
        shape: Hashable,
        build: Callable[[Mapping[str, ibis.Table]], ibis.Table],
        inputs: Mapping[str, ibis.Table],
        prefix: str,
    ) -> ibis.Table:
        """Like :meth:`materialise` of ``build(inputs)``, compiled once per shape on DuckDB."""
        if self.name != "duckdb":
            return self.materialise(build(inputs), prefix)
        sql = self._template(shape, build, inputs)
        name = f"xt_{prefix}_{next(self._names)}"
        with self.lock:
            self.backend.con.execute(f'CREATE TEMP TABLE "{name}" AS {sql}')
            table = self.backend.table(name)
        weakref.finalize(table, self._drop, name)
        return table

    def _template(
        self,
        shape: Hashable,
        build: Callable[[Mapping[str, ibis.Table]], ibis.Table],
        inputs: Mapping[str, ibis.Table],
    ) -> str:
        schemas = {k: t.schema() for k, t in inputs.items()}
        key = (shape, tuple((k, tuple(v.items())) for k, v in sorted(schemas.items())))
        sql = self._sql.get(key)
        if sql is None:
            stand_ins = {k: ibis.table(v, name=f"xt_input_{k}") for k, v in schemas.items()}
            sql = str(self.backend.compile(build(stand_ins)))
            self._sql[key] = sql
        for k, t in inputs.items():
            sql = sql.replace(f'"xt_input_{k}"', f'"{t.op().name}"')
        return sql

    def _unregister(self, name: str) -> None:
        try:
            with self.lock:
                self.backend.con.unregister(name)
        except Exception:  # the process may be shutting down
            pass

    def _drop(self, name: str) -> None:
        try:
            with self.lock:
                if self.name == "spark":
                    self.backend.raw_sql(f"UNCACHE TABLE IF EXISTS {name}")
                    self.backend.drop_view(name, force=True)
                else:
                    self.backend.drop_table(name, force=True)
        except Exception:
            pass


def _arrow(data: pd.DataFrame | pa.Table) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    return pa.Table.from_pandas(data, preserve_index=False)


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine(kind: str | None = None) -> Engine:
    """The process's engine of ``kind`` (default: ``XIETONG_ENGINE``, else ``duckdb``)."""
    name = (kind or os.environ.get("XIETONG_ENGINE") or "duckdb").strip().lower()
    if name not in ENGINES:
        raise EngineError(f"XIETONG_ENGINE must be one of {', '.join(ENGINES)}, not '{name}'")
    with _engines_lock:
        if name not in _engines:
            _engines[name] = Engine(name, _connect(name))
        return _engines[name]


def _connect(name: str) -> Any:
    if name == "duckdb":
        return ibis.duckdb.connect()
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            "XIETONG_ENGINE=spark needs the spark extra: pip install 'xietong[spark]'"
        ) from None
    master = os.environ.get("XIETONG_SPARK_MASTER", "local[2]")
    session = (
        SparkSession.builder.master(master)
        .appName("xietong")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)
