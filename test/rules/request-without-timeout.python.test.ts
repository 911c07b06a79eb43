import { ruleTests } from '../harness/rule-tester';

ruleTests('request-without-timeout', {
  valid: [
    {
      name: 'requests with timeout=',
      file: 'views.py',
      code: 'import requests\nfrom django.http import JsonResponse\n\n\ndef weather(request):\n    return JsonResponse(requests.get("https://api.example.com", timeout=5).json())\n',
      why: 'it gives up',
    },
    {
      name: 'requests in a Celery task',
      file: 'tasks.py',
      code: 'import requests\nfrom celery import shared_task\n\n\n@shared_task\ndef ping(url):\n    requests.get(url)\n',
      why: 'not on a request path',
    },
    {
      name: 'asyncio.to_thread(requests.get, …, timeout=…) and a positional urlopen timeout',
      file: 'main.py',
      code: 'import asyncio\nimport requests\nfrom urllib.request import urlopen\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    r = await asyncio.to_thread(requests.get, "https://x.example.com", timeout=5)\n    feed = await asyncio.to_thread(urlopen, "https://x.example.com/feed", None, 5)\n    return {"r": r.json(), "feed": feed.read()}\n',
      why: 'to_thread passes the timeouts on to the call it runs',
    },
    {
      name: 'kwargs passed through',
      file: 'views.py',
      code: 'import requests\n\n\ndef proxy(request, **kw):\n    return requests.get("https://example.com", **kw)\n',
      why: 'a `**kwargs` splat may carry the timeout',
    },
  ],
  invalid: [
    {
      name: 'requests.get in a Django view',
      file: 'views.py',
      code: 'import requests\nfrom django.http import JsonResponse\n\n\ndef weather(request):\n    r = requests.get("https://api.example.com", params={"q": request.GET["q"]})\n    return JsonResponse(r.json())\n',
      findings: [{ line: 6, message: /`requests\.get` has no timeout by default, in the django handler `weather`.*`timeout=`/ }],
      output: 'import requests\nfrom django.http import JsonResponse\n\n\ndef weather(request):\n    r = requests.get("https://api.example.com", params={"q": request.GET["q"]}, timeout=10)\n    return JsonResponse(r.json())\n',
    },
    {
      name: 'a requests.Session in a Flask route, through a helper',
      file: 'app.py',
      code: 'import requests\nfrom flask import Flask\n\napp = Flask(__name__)\nsession = requests.Session()\n\n\ndef fetch_user(uid):\n    return session.get(f"https://users.example.com/{uid}").json()\n\n\n@app.get("/u/<uid>")\ndef user(uid):\n    return fetch_user(uid)\n',
      findings: [{ line: 9, message: /in `fetch_user`, which the flask handler `user` calls/ }],
      output: 'import requests\nfrom flask import Flask\n\napp = Flask(__name__)\nsession = requests.Session()\n\n\ndef fetch_user(uid):\n    return session.get(f"https://users.example.com/{uid}", timeout=10).json()\n\n\n@app.get("/u/<uid>")\ndef user(uid):\n    return fetch_user(uid)\n',
    },
    {
      name: 'requests.get handed to asyncio.to_thread: the timeout goes through to_thread as a keyword',
      file: 'main.py',
      code: 'import asyncio\nimport requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    r = await asyncio.to_thread(requests.get, "https://x.example.com")\n    return r.json()\n',
      findings: [{ line: 10, message: /`requests\.get` has no timeout by default, in the fastapi handler `b`/ }],
      output: 'import asyncio\nimport requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    r = await asyncio.to_thread(requests.get, "https://x.example.com", timeout=10)\n    return r.json()\n',
    },
    {
      name: 'requests.get wrapped in asgiref\'s sync_to_async in a Django async view',
      file: 'views.py',
      code: 'import requests\nfrom asgiref.sync import sync_to_async\nfrom django.http import JsonResponse\n\n\nasync def weather(request):\n    r = await sync_to_async(requests.get)("https://api.example.com")\n    return JsonResponse(r.json())\n',
      findings: [{ line: 7, message: /`requests\.get` has no timeout by default, in the django handler `weather`/ }],
      output: 'import requests\nfrom asgiref.sync import sync_to_async\nfrom django.http import JsonResponse\n\n\nasync def weather(request):\n    r = await sync_to_async(requests.get)("https://api.example.com", timeout=10)\n    return JsonResponse(r.json())\n',
    },
    {
      name: 'requests.get handed to run_in_executor, which passes no keywords: the message names functools.partial, no edit',
      file: 'main.py',
      code: 'import asyncio\nimport requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    loop = asyncio.get_running_loop()\n    r = await loop.run_in_executor(None, requests.get, "https://x.example.com")\n    return r.json()\n',
      findings: [{ line: 11, message: /`run_in_executor` passes no keyword arguments: hand it `functools\.partial\(requests\.get, …, timeout=10\)`/ }],
      noFix: true,
    },
    {
      name: 'urlopen in a FastAPI handler',
      file: 'main.py',
      code: 'from urllib.request import urlopen\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/feed")\ndef feed():\n    return urlopen("https://example.com/feed.xml").read()\n',
      findings: [{ line: 9 }],
      output: 'from urllib.request import urlopen\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/feed")\ndef feed():\n    return urlopen("https://example.com/feed.xml", timeout=10).read()\n',
    },
  ],
});

ruleTests('request-without-timeout', {
  valid: [
    {
      name: 'an untimed call in a function no urls.py routes to (a CLI helper)',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': 'from django.urls import path\n\nfrom blog import pages\n\nurlpatterns = [path("d/", pages.dashboard)]\n' },
      code: 'import requests\n\n\ndef sync_feeds(x):\n    return requests.get("https://feeds.example.com")\n',
      why: 'sync_feeds is not routed and not a view: it runs where its caller runs',
    },
  ],
  invalid: [
    {
      name: 'a view found through urls.py calls out without a timeout',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': 'from django.urls import path\n\nfrom blog import pages\n\nurlpatterns = [path("d/", pages.dashboard)]\n' },
      code: 'import requests\n\n\ndef dashboard(x):\n    return requests.get("https://feeds.example.com")\n',
      findings: [{ line: 5, message: /django handler `dashboard`/ }],
    },
  ],
});

// An untimed call in another file's helper that the views call in many places: one finding, at the first call.
ruleTests('request-without-timeout', {
  valid: [],
  invalid: [
    {
      name: "a helper calling out untimed, called by several views of the file (django-cas-server's utils.context → last_version)",
      file: 'cas/views.py',
      workspace: { 'cas/utils.py': 'import requests\n\n\ndef last_version():\n    return requests.get("https://pypi.org/pypi/x/json").json()\n\n\ndef context(params):\n    params["version"] = last_version()\n    return params\n' },
      code: 'from django.shortcuts import render\n\nfrom . import utils\n\n\ndef login(request):\n    return render(request, "login.html", utils.context({}))\n\n\ndef logout(request):\n    render(request, "logout.html", utils.context({"bye": True}))\n    return render(request, "done.html", utils.context({}))\n',
      findings: [{ line: 7, message: /^`requests\.get` has no timeout by default, in `last_version`, which the django handler `login` calls \(`login` → `utils\.context` → `last_version`\): .* The same call runs from 2 more calls in this file\.$/ }],
    },
  ],
});
