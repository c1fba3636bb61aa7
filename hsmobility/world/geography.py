"""Islands, destinations and links of a setting, and the Mesa Network space they form."""

from __future__ import annotations

import random
from dataclasses import dataclass

import networkx as nx
import numpy as np
from mesa.discrete_space import Cell, Network

from hsmobility.config.schemas import Setting

EARTH_RADIUS_KM = 6371.0


def island_xy_km(setting: Setting) -> np.ndarray:
    """Island positions in km on a local equirectangular projection around their centroid.

    Longitudes are unwrapped across the antimeridian (Fiji, Tuvalu straddle 180 degrees).
    """
    return project_km(setting, [i.lon for i in setting.islands], [i.lat for i in setting.islands])


def project_km(setting: Setting, lon: list[float], lat: list[float]) -> np.ndarray:
    """Positions in km on the projection of :func:`island_xy_km` (centred on the islands)."""
    ilon = np.array([i.lon for i in setting.islands], dtype=float)
    ilat = np.array([i.lat for i in setting.islands], dtype=float)
    ilon = _unwrap(ilon, ilon[0])
    lon0, lat_mean = ilon.mean(), ilat.mean()
    lon_a = _unwrap(np.asarray(lon, dtype=float), ilon[0])
    lat_a = np.asarray(lat, dtype=float)
    cos0 = np.cos(np.radians(lat_mean))
    x = np.radians(lon_a - lon0) * EARTH_RADIUS_KM * cos0
    y = np.radians(lat_a - lat_mean) * EARTH_RADIUS_KM
    return np.column_stack([x, y])


def _unwrap(lon: np.ndarray, ref: float) -> np.ndarray:
    lon = np.where(lon - ref > 180, lon - 360, lon)
    return np.where(lon - ref < -180, lon + 360, lon)


@dataclass
class ExposurePoints:
    """The places storms strike, over all islands: an island without ``points`` in its setting
    is one place at its coordinates, on the shore; a large island is several (census provinces,
    districts, towns), each holding its share of the island's households; a point with
    ``places`` (towns) is several places too: each town holds its census share of the point's
    households at its own coordinates, the rest stay at the point's (issue 9, sixth session)."""

    #: island of each place; places of one island are contiguous, in island order
    island: np.ndarray
    names: list[str]
    #: positions on the islands' projection, km
    xy_km: np.ndarray
    lat: np.ndarray
    #: distance of the place's settlements from the coast, km
    inland_km: np.ndarray
    #: cumulative share of its island's population up to and including the place (last = 1)
    cum_share: np.ndarray
    #: the declared point (or pointless island) each place belongs to, numbered over the setting
    point: np.ndarray | None = None

    def point_of(self, home_island: np.ndarray, site_u: np.ndarray) -> np.ndarray:
        """The place of each household: the one of its home island whose population-share
        interval holds the household's ``site_u`` (a fixed place within any island)."""
        key = self.island + self.cum_share
        hh_key = home_island.astype(np.float64) + np.clip(site_u, 0.0, 1.0 - 1e-9)
        idx = np.searchsorted(key, hh_key, side="right")
        return np.minimum(idx, len(self.island) - 1)


def exposure_points(setting: Setting) -> ExposurePoints:
    """The :class:`ExposurePoints` of ``setting``: a point's ``places`` come first, in their
    order, then the point's remaining people at its own coordinates (if any remain)."""
    island, names, lon, lat, inland, share, parent = [], [], [], [], [], [], []
    n_points = 0
    for i, isl in enumerate(setting.islands):
        pts = isl.points
        if not pts:
            island.append(i)
            names.append(isl.name)
            lon.append(isl.lon)
            lat.append(isl.lat)
            inland.append(0.0)
            share.append(1.0)
            parent.append(n_points)
            n_points += 1
            continue
        total = sum(p.population for p in pts)
        people: list[float] = []
        for p in pts:
            rest = p.population - sum(q.population for q in p.places)
            for q in p.places:
                island.append(i)
                names.append(f"{isl.name}: {p.name}: {q.name}")
                lon.append(q.lon)
                lat.append(q.lat)
                inland.append(q.inland_km)
                people.append(q.population)
                parent.append(n_points)
            if rest > 0 or not p.places:
                island.append(i)
                names.append(f"{isl.name}: {p.name}")
                lon.append(p.lon)
                lat.append(p.lat)
                inland.append(p.inland_km)
                people.append(rest)
                parent.append(n_points)
            n_points += 1
        cum = np.cumsum(people) / total
        cum[-1] = 1.0
        share.extend(float(c) for c in cum)
    return ExposurePoints(
        island=np.array(island, dtype=np.int64),
        names=names,
        xy_km=project_km(setting, lon, lat),
        lat=np.array(lat, dtype=float),
        inland_km=np.array(inland, dtype=float),
        cum_share=np.array(share, dtype=float),
        point=np.array(parent, dtype=np.int64),
    )


def island_distances_km(setting: Setting) -> np.ndarray:
    """Matrix of distances between islands, km."""
    xy = island_xy_km(setting)
    return np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))


def island_graph(setting: Setting) -> nx.Graph:
    """Islands as nodes (index = position in the setting file), links as edges with capacity."""
    g = nx.Graph()
    for idx, isl in enumerate(setting.islands):
        g.add_node(idx, name=isl.name, lon=isl.lon, lat=isl.lat, capital=isl.capital)
    for link in setting.links:
        g.add_edge(
            setting.island_index(link.a),
            setting.island_index(link.b),
            mode=link.mode,
            capacity=link.capacity_households_per_month,
        )
    return g


class IslandCell(Cell):
    """A Network cell that removes an agent in constant time.

    Mesa's ``Cell.remove_agent`` scans the cell's list: with tens of thousands of households on
    an island and thousands changing island after a storm, placing them cost movers x island
    size (78% of the step at 200,000 households, `hsmobility bench`). This cell swaps the last
    agent into the leaver's place; each cell holds the same agents (not in the same order).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._where: dict[object, int] = {}

    def add_agent(self, agent) -> None:
        super().add_agent(agent)
        self._where[agent] = len(self._agents) - 1

    def remove_agent(self, agent) -> None:
        i = self._where.pop(agent)
        last = self._agents.pop()  # the same list object that Mesa's collections hold
        if last is not agent:
            self._agents[i] = last
            self._where[last] = i
        self.empty = self.is_empty


def island_space(setting: Setting, rng: random.Random) -> Network:
    """The Mesa Network space of the setting's islands, laid out at their geographic positions."""
    xy = island_xy_km(setting)
    layout = {i: (float(xy[i, 0]), float(xy[i, 1])) for i in range(len(setting.islands))}
    return Network(island_graph(setting), random=rng, layout=layout, cell_klass=IslandCell)


@dataclass
class Geography:
    """Fixed facts of the setting's islands that phases need, as arrays indexed by island."""

    capital: int
    #: where an evacuated island's people are taken (the capital; from the capital, the nearest)
    refuge_island: np.ndarray
    #: islands not linked by road to another (an island evacuated is left whole)
    separate_island: np.ndarray
    #: height of each island's low-lying band above today's high spring tide, m
    lowlying_elevation_m: np.ndarray
    #: households a month that can leave each island on its first link towards the capital
    exit_capacity: np.ndarray
    #: the places storms strike (several on a large island)
    points: ExposurePoints | None = None


def build_geography(setting: Setting) -> Geography:
    """The arrays of :class:`Geography` for ``setting``."""
    islands = setting.islands
    capital = setting.capital_index
    dist = island_distances_km(setting)
    np.fill_diagonal(dist, np.inf)
    refuge = np.array(
        [
            capital if i != capital or len(islands) == 1 else int(np.argmin(dist[i]))
            for i in range(len(islands))
        ]
    )
    road_linked = {
        setting.island_index(e)
        for link in setting.links
        if link.mode == "road"
        for e in (link.a, link.b)
    }
    return Geography(
        capital=capital,
        refuge_island=refuge,
        separate_island=np.array([i not in road_linked for i in range(len(islands))]),
        lowlying_elevation_m=np.array([i.lowlying_elevation_m for i in islands]),
        exit_capacity=exit_capacity(island_graph(setting), capital),
        points=exposure_points(setting),
    )


def exit_capacity(graph: nx.Graph, capital: int) -> np.ndarray:
    """Households a month that can leave each island: its first link towards the capital."""
    cap = np.zeros(graph.number_of_nodes())
    paths = nx.single_source_shortest_path(graph, capital)
    for node, path in paths.items():
        if node != capital:
            cap[node] = graph.edges[path[-1], path[-2]]["capacity"]
    cap[capital] = np.inf
    return cap
