#!/usr/bin/python3
"""A small, independent reference for radius-limited centrality.

Brandes' betweenness and harmonic closeness on an undirected weighted graph,
counting only pairs whose shortest-path length is <= cutoff (integer weights,
so ties are exact). Plain Python, no graph library: slow but easy to check.
Used by compare_centrality.py for the radii (NetworkX 2.8.8 has no cutoff).
"""
import heapq


def brandes_cutoff(adj, cutoff=None):
    """adj: {node: [(neighbour, weight, edge_key), ...]}; returns (node_bc, edge_bc, harmonic)."""
    node_bc = {v: 0.0 for v in adj}
    edge_bc = {}
    harmonic = {v: 0.0 for v in adj}
    for s in adj:
        dist = {s: 0}
        sigma = {s: 1.0}
        order = []
        done = set()
        heap = [(0, s)]
        while heap:
            d, v = heapq.heappop(heap)
            if v in done or d != dist[v]:
                continue
            done.add(v)
            order.append(v)
            for u, w, _ in adj[v]:
                nd = d + w
                if cutoff is not None and nd > cutoff:
                    continue
                if u not in dist or nd < dist[u]:
                    dist[u] = nd
                    sigma[u] = sigma[v]
                    heapq.heappush(heap, (nd, u))
                elif nd == dist[u]:
                    sigma[u] += sigma[v]
        delta = {v: 0.0 for v in order}
        for t in reversed(order):
            if t != s:
                harmonic[s] += 1.0 / dist[t]
            for v, w, key in adj[t]:
                if v in dist and dist[v] + w == dist[t]:
                    c = sigma[v] / sigma[t] * (1.0 + delta[t])
                    edge_bc[key] = edge_bc.get(key, 0.0) + c
                    delta[v] += c
            if t != s:
                node_bc[t] += delta[t]
    # each unordered pair was counted from both ends
    return ({v: x / 2 for v, x in node_bc.items()}, {k: x / 2 for k, x in edge_bc.items()}, harmonic)
