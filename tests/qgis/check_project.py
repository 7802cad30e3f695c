#!/usr/bin/python3
"""Opens a QGIS project (.qgz) with QGIS's own Python API, headless, and checks
it against an expectation file (JSON):

  {"crs": "EPSG:4548", "extent": [xmin, ymin, xmax, ymax], "groups": ["base", ...],
   "gpkg": "path/to/results.gpkg",
   "layers": {"base__edges": {"group": "base", "features": 2250,
                              "renderer": "categorizedSymbol", "field": "class"}, ...}}

Checks: every layer of the project is valid and expected, with the expected
feature count, renderer type and classification field; every feature of a
categorized or graduated layer gets a symbol; the groups in order; the project
CRS; the default view extent covers the expected extent. Then each layer of the
GeoPackage is opened alone (no project) and must come up with the same renderer
and field, from the default style in its layer_styles table.

Exit 0 when all is well, 1 with one line per problem, 77 when QGIS's Python API
is not importable (install python3-qgis and qgis-providers).
Run with QT_QPA_PLATFORM=offscreen.
"""
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
try:
    from qgis.core import (QgsApplication, QgsProject, QgsVectorLayer, QgsRenderContext,
                           QgsLayerTreeGroup, QgsLayerTreeLayer)
except ImportError as e:  # pragma: no cover
    print(f"check_project: SKIP: QGIS's Python API is not importable ({e}); "
          "install python3-qgis and qgis-providers", file=sys.stderr)
    sys.exit(77)


def renderer_of(layer):
    r = layer.renderer()
    if r is None:
        return "", ""
    field = ""
    if r.type() in ("categorizedSymbol", "graduatedSymbol"):
        field = r.classAttribute()
    return r.type(), field


def unsymbolled(layer):
    """Features that the renderer gives no symbol (categories or ranges do not cover them)."""
    r = layer.renderer()
    if r is None or r.type() not in ("categorizedSymbol", "graduatedSymbol"):
        return 0
    ctx = QgsRenderContext()
    r.startRender(ctx, layer.fields())
    missing = 0
    for f in layer.getFeatures():
        if r.symbolForFeature(f, ctx) is None:
            missing += 1
    r.stopRender(ctx)
    return missing


def main():
    if len(sys.argv) != 3:
        print("usage: check_project.py PROJECT.qgz EXPECTED.json", file=sys.stderr)
        return 2
    qgz, expected_path = sys.argv[1], sys.argv[2]
    with open(expected_path, encoding="utf-8") as f:
        expected = json.load(f)

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    problems = []
    try:
        project = QgsProject.instance()
        if not project.read(qgz):
            problems.append(f"{qgz}: QGIS cannot read the project: {project.error()}")
            return report(problems)
        if project.crs().authid() != expected["crs"]:
            problems.append(f"project CRS {project.crs().authid()!r}, expected {expected['crs']!r}")
        ext = project.viewSettings().defaultViewExtent()
        want = expected.get("extent")
        if want:
            if ext.isNull() or not (ext.xMinimum() <= want[0] and ext.yMinimum() <= want[1]
                                    and ext.xMaximum() >= want[2] and ext.yMaximum() >= want[3]):
                problems.append(f"default view extent {ext.toString()} does not cover {want}")
            elif ext.width() > 2 * (want[2] - want[0]) + 1 or ext.height() > 2 * (want[3] - want[1]) + 1:
                problems.append(f"default view extent {ext.toString()} is much larger than {want}")

        root = project.layerTreeRoot()
        groups = [c.name() for c in root.children() if isinstance(c, QgsLayerTreeGroup)]
        if groups != expected["groups"]:
            problems.append(f"groups {groups}, expected {expected['groups']}")
        group_of = {}
        for g in root.children():
            if isinstance(g, QgsLayerTreeGroup):
                for c in g.children():
                    if isinstance(c, QgsLayerTreeLayer):
                        group_of[c.name()] = g.name()

        layers = {l.name(): l for l in project.mapLayers().values()}
        want_layers = expected["layers"]
        for name in sorted(set(layers) - set(want_layers)):
            problems.append(f"{name}: in the project but not expected")
        for name, w in want_layers.items():
            layer = layers.get(name)
            if layer is None:
                problems.append(f"{name}: missing from the project")
                continue
            if not layer.isValid():
                problems.append(f"{name}: not valid (source {layer.source()})")
                continue
            if group_of.get(name) != w["group"]:
                problems.append(f"{name}: in group {group_of.get(name)!r}, expected {w['group']!r}")
            n = layer.featureCount()
            if n != w["features"]:
                problems.append(f"{name}: {n} features, expected {w['features']}")
            rtype, field = renderer_of(layer)
            if (rtype, field) != (w["renderer"], w["field"]):
                problems.append(f"{name}: renderer {rtype!r} on {field!r}, expected {w['renderer']!r} on {w['field']!r}")
            missing = unsymbolled(layer)
            if missing:
                problems.append(f"{name}: {missing} features get no symbol from the {rtype} renderer")
            if layer.crs().authid() != expected["crs"] and w["renderer"]:
                problems.append(f"{name}: CRS {layer.crs().authid()!r}, expected {expected['crs']!r}")

        # The GeoPackage alone: each layer opens with its default style from layer_styles.
        gpkg = expected.get("gpkg")
        if gpkg:
            for name, w in want_layers.items():
                alone = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
                if not alone.isValid():
                    problems.append(f"{gpkg}: layer {name} does not open alone")
                    continue
                rtype, field = renderer_of(alone)
                if (rtype, field) != (w["renderer"], w["field"]):
                    problems.append(f"{gpkg}: {name} opens alone with renderer {rtype!r} on {field!r}, "
                                    f"expected {w['renderer']!r} on {w['field']!r} (from layer_styles)")
                del alone
        print(f"check_project: {len(want_layers)} layers in {len(groups)} groups checked")
    finally:
        project = None
        QgsProject.instance().clear()
        app.exitQgis()
    return report(problems)


def report(problems):
    for p in problems:
        print("check_project: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
