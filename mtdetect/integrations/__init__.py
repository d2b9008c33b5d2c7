"""Plug-ins for data-processing engines: datatrove (`datatrove`) and Apache Spark (`spark`).

Each is imported on its own, so the engine is only needed by those who use it.
"""
