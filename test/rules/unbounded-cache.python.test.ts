import { ruleTests } from '../harness/rule-tester';

ruleTests('unbounded-cache', {
  valid: [
    {
      name: 'lru_cache with a maxsize, and the bare decorator (128 by default)',
      file: 'a.py',
      code: 'from functools import lru_cache\n\n\n@lru_cache(maxsize=256)\ndef price(sku):\n    return lookup(sku)\n\n\n@lru_cache\ndef tax(region):\n    return lookup(region)\n',
      why: 'bounded',
    },
    {
      name: '@cache on a function without arguments',
      file: 'settings.py',
      code: 'from functools import cache\n\n\n@cache\ndef get_settings():\n    return load()\n',
      why: 'one entry at most',
    },
    {
      name: 'cachetools TTLCache',
      file: 'a.py',
      code: 'from cachetools import TTLCache\n\n_rates = TTLCache(maxsize=100, ttl=60)\n\n\ndef rate(cur):\n    if cur not in _rates:\n        _rates[cur] = fetch(cur)\n    return _rates[cur]\n',
      why: 'bounded by size and time',
    },
    {
      name: 'a dict with eviction',
      file: 'a.py',
      code: '_cache = {}\n\n\ndef get(key):\n    if len(_cache) > 1000:\n        _cache.clear()\n    if key not in _cache:\n        _cache[key] = compute(key)\n    return _cache[key]\n',
      why: 'a size check clears it',
    },
    {
      name: 'a constant lookup table and a registry',
      file: 'a.py',
      code: 'STATUS = {"a": "active"}\nHANDLERS = {}\n\n\ndef register(name, fn):\n    HANDLERS[name] = fn\n',
      why: 'written in place, or filled from code at import time',
    },
    {
      name: 'a staticmethod with lru_cache(maxsize=64)',
      file: 'a.py',
      code: 'from functools import lru_cache\n\n\nclass Geo:\n    @staticmethod\n    @lru_cache(maxsize=64)\n    def lookup(ip):\n        return find(ip)\n',
      why: 'no self to keep alive, and bounded',
    },
    {
      name: 'a classmethod cached by its class alone, and a function of flags (Django get_lookups)',
      file: 'lookups.py',
      code: 'import functools\n\n\nclass RegisterLookupMixin:\n    @classmethod\n    @functools.lru_cache(maxsize=None)\n    def get_lookups(cls):\n        return merge(cls)\n\n\n@functools.lru_cache(maxsize=None)\ndef models(include_auto=False, *, swapped: bool = False):\n    return load(include_auto, swapped)\n',
      why: 'one entry per class, which code defines; four at most for two flags',
    },
    {
      name: 'a defaultdict counted with a constant key, a dict updated with constant keys, cachetools cached with an LRUCache',
      file: 'app.py',
      code: 'from collections import defaultdict\nfrom cachetools import LRUCache, cached\nfrom flask import Flask, request\n\napp = Flask(__name__)\n_hits = defaultdict(int)\n_stats = {}\n\n\n@cached(cache=LRUCache(maxsize=100))\ndef rate(cur):\n    return fetch(cur)\n\n\n@app.route("/a")\ndef a():\n    _hits["total"] += 1\n    _stats.update({"last": request.path})\n    return str(rate(request.args["cur"]))\n',
      why: 'one key each, whatever the traffic; the LRUCache is bounded',
    },
    {
      name: 'a defaultdict filled from code off the request path (a plugin\'s registry)',
      file: 'plugin.py',
      code: 'import collections\n\n_fixture_names = collections.defaultdict(set)\n\n\ndef add_fixture(fn, fixture):\n    _fixture_names[fn.__name__].add((fn, fixture.scope))\n',
      why: 'its write is not a get-or-compute lookup, it is not named as a cache, and no request reaches it',
    },
    {
      name: 'redis set with ex=',
      file: 'a.py',
      code: 'import redis\n\nr = redis.Redis()\n\n\ndef save(sid, data):\n    r.set(f"session:{sid}", data, ex=3600)\n',
      why: 'expires',
    },
  ],
  invalid: [
    {
      name: 'a Flask view memoizes per user id (`uid` is a user, not one of a few kinds)',
      file: 'app.py',
      code: 'import requests\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n_profiles = {}\n\n\n@app.route("/users/<int:uid>/avatar")\ndef avatar(uid):\n    if uid not in _profiles:\n        _profiles[uid] = requests.get(f"https://avatars.example.com/{uid}", timeout=5).json()\n    return jsonify(_profiles[uid])\n',
      findings: [{ line: 5, message: /`_profiles` is a module-level dict that gains an entry per new key/ }],
    },
    {
      name: 'module-level dict memo',
      file: 'geo.py',
      code: '_geo_cache = {}\n\n\ndef country_for(ip):\n    if ip not in _geo_cache:\n        _geo_cache[ip] = lookup(ip)\n    return _geo_cache[ip]\n',
      findings: [{ line: 1, message: /`_geo_cache` is a module-level dict that gains an entry per new key/ }],
    },
    {
      name: 'dict cache with cachetools in use → TTLCache',
      file: 'geo.py',
      code: 'from cachetools import LRUCache\n\n_countries = LRUCache(maxsize=10)\n_geo_cache = {}\n\n\ndef country_for(ip):\n    if ip not in _geo_cache:\n        _geo_cache[ip] = lookup(ip)\n    return _geo_cache[ip]\n',
      findings: [{ line: 4 }],
      output: 'from cachetools import LRUCache, TTLCache\n\n_countries = LRUCache(maxsize=10)\n_geo_cache = TTLCache(maxsize=1024, ttl=3600)\n\n\ndef country_for(ip):\n    if ip not in _geo_cache:\n        _geo_cache[ip] = lookup(ip)\n    return _geo_cache[ip]\n',
    },
    {
      name: 'lru_cache(maxsize=None) → 1024',
      file: 'a.py',
      code: 'import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef render(template, user_id):\n    return expensive(template, user_id)\n',
      findings: [{ line: 4, message: /no `maxsize`/ }],
      output: 'import functools\n\n\n@functools.lru_cache(maxsize=1024)\ndef render(template, user_id):\n    return expensive(template, user_id)\n',
    },
    {
      name: '@cache → @lru_cache(maxsize=1024), import added',
      file: 'a.py',
      code: 'from functools import cache\n\n\n@cache\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n',
      findings: [{ line: 4 }],
      output: 'from functools import cache, lru_cache\n\n\n@lru_cache(maxsize=1024)\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n',
    },
    {
      name: 'lru_cache on a method keeps every instance alive',
      file: 'a.py',
      code: 'from functools import lru_cache\n\n\nclass Pricing:\n    @lru_cache(maxsize=128)\n    def price(self, sku):\n        return self.db.price(sku)\n',
      findings: [{ line: 5, message: /keeps every instance alive/ }],
    },
    {
      name: 'redis-py set without an expiry, in a Flask view',
      file: 'app.py',
      code: 'import redis\nfrom flask import Flask, request\n\napp = Flask(__name__)\nr = redis.Redis()\n\n\n@app.post("/track")\ndef track():\n    r.set(f"last_seen:{request.json[\'user\']}", request.json["ts"])\n    return "", 204\n',
      findings: [{ line: 10 }],
      output: 'import redis\nfrom flask import Flask, request\n\napp = Flask(__name__)\nr = redis.Redis()\n\n\n@app.post("/track")\ndef track():\n    r.set(f"last_seen:{request.json[\'user\']}", request.json["ts"], ex=3600)\n    return "", 204\n',
    },
    {
      name: 'defaultdicts written through reads keyed by the client address (a counter and a list per key)',
      file: 'rl.py',
      code: 'from collections import defaultdict\nfrom flask import Flask, request\napp = Flask(__name__)\n\n_hits = defaultdict(int)\n_log = defaultdict(list)\n\n\n@app.route("/a")\ndef a():\n    _hits[request.remote_addr] += 1\n    _log[request.remote_addr].append(request.path)\n    return "ok"\n',
      findings: [
        { line: 5, message: /`_hits` is a module-level dict that gains an entry per new key \(`_hits\[request\.remote_addr\] \+= 1`, keyed by input\)/ },
        { line: 6, message: /`_log` is a module-level dict that gains an entry per new key \(`_log\[request\.remote_addr\]\.append\(request\.path\)`, keyed by input\)/ },
      ],
    },
    {
      name: 'a dict updated with a key from the request, and a set added to: "set", not JavaScript\'s `Set`',
      file: 'app.py',
      code: 'from flask import Flask, request\napp = Flask(__name__)\n\n_last = {}\n_seen = set()\n\n\n@app.route("/x")\ndef x():\n    _last.update({request.args["q"]: 1})\n    _seen.add(request.args["q"])\n    return "ok"\n',
      findings: [
        { line: 4, message: /`_last` is a module-level dict that gains an entry per new key \(`_last\.update\(\{request\.args\["q"\]: 1\}\)`/ },
        { line: 5, message: /`_seen` is a module-level set that gains an entry/ },
      ],
    },
    {
      name: 'cachetools cached over a plain dict → an LRUCache, import added',
      file: 'rates.py',
      code: 'from cachetools import cached\n\n\n@cached(cache={})\ndef rate(cur):\n    return fetch(cur)\n',
      findings: [{ line: 4, message: /`@cached\(cache=\{\}\)` caches every distinct argument forever \(a plain dict\)[^]*`cache=LRUCache\(maxsize=…\)`/ }],
      output: 'from cachetools import cached, LRUCache\n\n\n@cached(cache=LRUCache(maxsize=1024))\ndef rate(cur):\n    return fetch(cur)\n',
    },
    {
      name: 'cachetools.cached through the module',
      file: 'rates.py',
      code: 'import cachetools\n\n\n@cachetools.cached(cache={})\ndef rate(cur):\n    return fetch(cur)\n',
      findings: [{ line: 4 }],
      output: 'import cachetools\n\n\n@cachetools.cached(cache=cachetools.LRUCache(maxsize=1024))\ndef rate(cur):\n    return fetch(cur)\n',
    },
    {
      name: 'a classmethod cached by an argument besides its class',
      file: 'lookups.py',
      code: 'import functools\n\n\nclass Lookup:\n    @classmethod\n    @functools.lru_cache(maxsize=None)\n    def find(cls, name):\n        return search(cls, name)\n',
      findings: [{ line: 6 }],
      output: 'import functools\n\n\nclass Lookup:\n    @classmethod\n    @functools.lru_cache(maxsize=1024)\n    def find(cls, name):\n        return search(cls, name)\n',
    },
    {
      name: 'a module-level list appended to from a view',
      file: 'views.py',
      code: 'from django.http import JsonResponse\n\n_recent = []\n\n\ndef search(request):\n    _recent.append(request.GET["q"])\n    return JsonResponse({"n": len(_recent)})\n',
      findings: [{ line: 3, message: /module-level list/ }],
    },
  ],
});
