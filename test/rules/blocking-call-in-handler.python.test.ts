import { ruleTests } from '../harness/rule-tester';

ruleTests('blocking-call-in-handler', {
  valid: [
    {
      name: 'a send of another module\'s object that is not given a Flask-Mail Message',
      file: 'app/views.py',
      code: 'from flask import Blueprint\n\nfrom .events import bus\n\nbp = Blueprint("auth", __name__)\n\n\n@bp.route("/signup", methods=["POST"])\ndef signup():\n    bus.send({"event": "signup"})\n    return "ok"\n',
      why: 'an in-process event bus: nothing says it is a provider',
    },
    {
      name: 'requests in a plain def FastAPI handler',
      file: 'main.py',
      code: 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/weather")\ndef weather(city: str):\n    return requests.get("https://api.example.com", params={"q": city}, timeout=5).json()\n',
      why: 'FastAPI runs plain def handlers in a thread pool',
    },
    {
      name: 'time.sleep in a Celery task',
      file: 'tasks.py',
      code: 'import time\nfrom celery import shared_task\n\n\n@shared_task\ndef retry_later(x):\n    time.sleep(5)\n    return x\n',
      why: 'a background job, not a handler',
    },
    {
      name: 'send_mail in a Celery task',
      file: 'tasks.py',
      code: 'from celery import shared_task\nfrom django.core.mail import send_mail\n\n\n@shared_task\ndef welcome(email):\n    send_mail("Hi", "Welcome", "noreply@example.com", [email])\n',
      why: 'the send is already in a background job',
    },
    {
      name: 'a management command',
      file: 'management/commands/sync.py',
      code: 'import time\nimport requests\nfrom django.core.management.base import BaseCommand\n\n\nclass Command(BaseCommand):\n    def handle(self, *args, **options):\n        requests.get("https://example.com", timeout=5)\n        time.sleep(1)\n',
      why: 'a CLI command, not a request',
    },
    {
      name: 'httpx.AsyncClient awaited in an async handler',
      file: 'main.py',
      code: 'import httpx\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/u")\nasync def u():\n    async with httpx.AsyncClient() as client:\n        r = await client.get("https://example.com")\n    return r.json()\n',
      why: 'asynchronous I/O',
    },
    {
      name: 'blocking work handed to a thread: requests, and a helper of another module that sleeps',
      file: 'main.py',
      workspace: { 'services.py': 'import time\n\n\ndef slow_lookup(uid):\n    time.sleep(1)\n    return uid\n' },
      code: 'import asyncio\nimport requests\nfrom fastapi import FastAPI\nfrom .services import slow_lookup\n\napp = FastAPI()\n\n\n@app.get("/u")\nasync def u(uid: int):\n    r = await asyncio.to_thread(requests.get, "https://example.com", timeout=5)\n    return {"r": r.json(), "u": await asyncio.to_thread(slow_lookup, uid)}\n',
      why: 'the event loop awaits the thread; nothing blocks it',
    },
    {
      name: 'time.sleep in a sync Django view',
      file: 'views.py',
      code: 'import time\nfrom django.http import JsonResponse\n\n\ndef slow(request):\n    time.sleep(0.1)\n    return JsonResponse({})\n',
      why: 'a sync view blocks only its own worker thread: not an event loop',
    },
  ],
  invalid: [
    {
      name: 'time.sleep in an async FastAPI handler → asyncio.sleep',
      file: 'main.py',
      code: 'import time\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/slow")\nasync def slow():\n    time.sleep(1)\n    return {"ok": True}\n',
      findings: [{ line: 9, message: /`time\.sleep` is synchronous in the fastapi handler `slow`, an `async def`/ }],
      output: 'import time\nfrom fastapi import FastAPI\nimport asyncio\n\napp = FastAPI()\n\n\n@app.get("/slow")\nasync def slow():\n    await asyncio.sleep(1)\n    return {"ok": True}\n',
    },
    {
      name: 'requests.get in an async handler → asyncio.to_thread',
      file: 'main.py',
      code: 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/weather")\nasync def weather(city: str):\n    r = requests.get("https://api.example.com", params={"q": city}, timeout=5)\n    return r.json()\n',
      findings: [{ line: 9 }],
      output: 'import requests\nfrom fastapi import FastAPI\nimport asyncio\n\napp = FastAPI()\n\n\n@app.get("/weather")\nasync def weather(city: str):\n    r = await asyncio.to_thread(requests.get, "https://api.example.com", params={"q": city}, timeout=5)\n    return r.json()\n',
    },
    {
      name: 'a sync helper called from an async Starlette handler (chain named)',
      file: 'app.py',
      code: 'import subprocess\nfrom starlette.responses import JSONResponse\n\n\ndef git_version():\n    return subprocess.check_output(["git", "rev-parse", "HEAD"])\n\n\nasync def version(request):\n    return JSONResponse({"v": git_version().decode()})\n',
      findings: [{ line: 6, message: /in `git_version`, which the starlette handler `version` calls/ }],
    },
    {
      name: 'Flask-Mail: the app factory\'s Mail() imported from another module, sending a Message (directly and through a variable)',
      file: 'app/views.py',
      code: 'from flask import Blueprint\nfrom flask_mail import Message\n\nfrom .extensions import mail\n\nbp = Blueprint("auth", __name__)\n\n\n@bp.route("/signup", methods=["POST"])\ndef signup():\n    mail.send(Message("Welcome", recipients=["a@example.com"]))\n    msg = Message("Hi", recipients=["b@example.com"])\n    mail.send(msg)\n    return "ok"\n',
      findings: [{ line: 11, message: /`mail\.send` makes the request wait on a third party in the flask handler `signup`/ }, { line: 13 }],
    },
    {
      name: 'send_mail in a Django view',
      file: 'views.py',
      code: 'from django.core.mail import send_mail\nfrom django.http import HttpResponse\n\n\ndef signup(request):\n    send_mail("Welcome", "Hi", "noreply@example.com", [request.POST["email"]])\n    return HttpResponse(status=201)\n',
      findings: [{ line: 6, message: /wait on a third party in the django handler `signup`.*Celery/ }],
    },
    {
      name: 'send_mail in a Django view of a project with Celery: a task in the app\'s tasks.py, called with .delay',
      file: 'blog/views.py',
      workspace: { 'requirements.txt': 'Django==5.1\ncelery[redis]==5.4\n' },
      code: 'from django.core.mail import send_mail\nfrom django.http import HttpResponse\n\n\ndef signup(request):\n    send_mail("Welcome", "Hi", "noreply@example.com", [request.POST["email"]])  # welcome\n    return HttpResponse(status=201)\n',
      findings: [{ line: 6 }],
      output: 'from django.core.mail import send_mail\nfrom django.http import HttpResponse\nfrom .tasks import send_mail_task\n\n\ndef signup(request):\n    send_mail_task.delay("Welcome", "Hi", "noreply@example.com", [request.POST["email"]])  # welcome\n    return HttpResponse(status=201)\n',
      otherFile: {
        path: 'blog/tasks.py',
        text: 'from celery import shared_task\nfrom django.core.mail import send_mail\n\n\n@shared_task\ndef send_mail_task(*args, **kwargs):\n    """`send_mail` on a Celery worker, after the response."""\n    send_mail(*args, **kwargs)\n',
      },
    },
    {
      name: 'mail_admins in a DRF view inside a views/ package: the app\'s existing tasks.py gains the task',
      file: 'shop/views/orders.py',
      workspace: {
        'pyproject.toml': '[project]\ndependencies = ["djangorestframework", "celery"]\n',
        'shop/tasks.py': 'from celery import shared_task\n\nfrom .models import Order\n\n\n@shared_task\ndef close_order(order_id):\n    Order.objects.filter(pk=order_id).update(closed=True)\n',
      },
      code: 'from django.core import mail\nfrom rest_framework.decorators import api_view\nfrom rest_framework.response import Response\n\n\n@api_view(["POST"])\ndef refund(request):\n    mail.mail_admins(\n        "Refund asked",\n        request.data["reason"],\n    )\n    return Response(status=202)\n',
      findings: [{ line: 8 }],
      output: 'from django.core import mail\nfrom rest_framework.decorators import api_view\nfrom rest_framework.response import Response\nfrom ..tasks import mail_admins_task\n\n\n@api_view(["POST"])\ndef refund(request):\n    mail_admins_task.delay(\n        "Refund asked",\n        request.data["reason"],\n    )\n    return Response(status=202)\n',
      otherFile: {
        path: 'shop/tasks.py',
        text: 'from celery import shared_task\n\nfrom .models import Order\nfrom django.core.mail import mail_admins\n\n\n@shared_task\ndef close_order(order_id):\n    Order.objects.filter(pk=order_id).update(closed=True)\n\n\n@shared_task\ndef mail_admins_task(*args, **kwargs):\n    """`mail_admins` on a Celery worker, after the response."""\n    mail_admins(*args, **kwargs)\n',
      },
    },
    {
      name: 'a send whose result the view uses, in a project with Celery: advice only',
      file: 'blog/views.py',
      workspace: { 'requirements.txt': 'celery\n' },
      code: 'from django.core.mail import send_mail\nfrom django.http import JsonResponse\n\n\ndef invite(request):\n    sent = send_mail("Join", "Hi", "noreply@example.com", [request.POST["email"]])\n    return JsonResponse({"sent": sent})\n',
      findings: [{ line: 6, message: /Celery/ }],
    },
    {
      name: 'a send alone on its line but inside another call (its result used), in a project with Celery: advice only',
      file: 'blog/views.py',
      workspace: { 'requirements.txt': 'celery\n' },
      code: 'from django.core.mail import send_mail\nfrom django.http import JsonResponse\n\n\ndef invite(request):\n    counts = []\n    counts.append(\n        send_mail("Join", "Hi", "noreply@example.com", [request.POST["email"]])\n    )\n    return JsonResponse({"sent": counts})\n',
      findings: [{ line: 8, message: /Celery/ }],
    },
    {
      name: 'resend in a single-module Flask app with Celery: tasks.py beside it, imported absolutely',
      file: 'app.py',
      workspace: { 'requirements.txt': 'flask\ncelery\nresend\n' },
      code: 'import resend\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post("/signup")\ndef signup():\n    resend.Emails.send({"from": "hi@example.com", "to": [request.form["email"]], "subject": "Welcome", "html": "<p>Hi</p>"})\n    return "", 201\n',
      findings: [{ line: 9 }],
      output: 'import resend\nfrom flask import Flask, request\nfrom tasks import send_resend_email\n\napp = Flask(__name__)\n\n\n@app.post("/signup")\ndef signup():\n    send_resend_email.delay({"from": "hi@example.com", "to": [request.form["email"]], "subject": "Welcome", "html": "<p>Hi</p>"})\n    return "", 201\n',
      otherFile: {
        path: 'tasks.py',
        text: 'from celery import shared_task\nimport resend\n\n\n@shared_task\ndef send_resend_email(*args, **kwargs):\n    """`resend.Emails.send` on a Celery worker, after the response."""\n    resend.Emails.send(*args, **kwargs)\n',
      },
    },
    {
      name: 'send_mail in a Django view of a project with django-rq: enqueued on the default queue',
      file: 'blog/views.py',
      workspace: { 'requirements.txt': 'Django==5.1\ndjango-rq==3.0\n' },
      code: 'from django.core import mail\nfrom django.http import HttpResponse\n\n\ndef signup(request):\n    mail.send_mail("Welcome", "Hi", "noreply@example.com", [request.POST["email"]])\n    return HttpResponse(status=201)\n',
      findings: [{ line: 6 }],
      output: 'from django.core import mail\nfrom django.http import HttpResponse\nimport django_rq\n\n\ndef signup(request):\n    django_rq.enqueue(mail.send_mail, "Welcome", "Hi", "noreply@example.com", [request.POST["email"]])\n    return HttpResponse(status=201)\n',
    },
    {
      name: 'a Flask package that imports itself by name: the task is imported the same way',
      file: 'shop/routes.py',
      workspace: { 'requirements.txt': 'flask\ncelery\n' },
      code: 'from django.core.mail import mail_admins\nfrom flask import Blueprint\n\nfrom shop.models import Order\n\nbp = Blueprint("shop", __name__)\n\n\n@bp.post("/orders")\ndef order():\n    mail_admins("New order", "…")\n    return "", 201\n',
      findings: [{ line: 11 }],
      output: 'from django.core.mail import mail_admins\nfrom flask import Blueprint\n\nfrom shop.models import Order\nfrom shop.tasks import mail_admins_task\n\nbp = Blueprint("shop", __name__)\n\n\n@bp.post("/orders")\ndef order():\n    mail_admins_task.delay("New order", "…")\n    return "", 201\n',
      otherFile: {
        path: 'shop/tasks.py',
        text: 'from celery import shared_task\nfrom django.core.mail import mail_admins\n\n\n@shared_task\ndef mail_admins_task(*args, **kwargs):\n    """`mail_admins` on a Celery worker, after the response."""\n    mail_admins(*args, **kwargs)\n',
      },
    },
    {
      name: 'smtplib in a Flask route',
      file: 'app.py',
      code: 'import smtplib\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.route("/contact", methods=["POST"])\ndef contact():\n    with smtplib.SMTP("localhost") as smtp:\n        smtp.sendmail("a@example.com", ["b@example.com"], request.form["msg"])\n    return "", 204\n',
      findings: [{ line: 10, message: /flask handler `contact`/ }],
    },
    {
      name: 'DRF viewset action with boto3 in async? no: a sync viewset sending SES email',
      file: 'api.py',
      code: 'import boto3\nfrom rest_framework import viewsets\n\nses = boto3.client("ses")\n\n\nclass InviteViewSet(viewsets.ViewSet):\n    def create(self, request):\n        ses.send_email(Source="a@example.com", Destination={}, Message={})\n        return None\n',
      findings: [{ line: 9, message: /drf handler `create`/ }],
    },
  ],
});

ruleTests('blocking-call-in-handler', {
  valid: [
    {
      name: 'an imported blocking helper called from a sync view',
      file: 'blog/views.py',
      workspace: { 'blog/services.py': 'import requests\n\n\ndef fetch_profile(uid):\n    return requests.get(f"https://p.example.com/{uid}", timeout=5).json()\n' },
      code: 'from django.http import JsonResponse\nfrom .services import fetch_profile\n\n\ndef profile(request, uid):\n    return JsonResponse(fetch_profile(uid))\n',
      why: 'a sync view runs in a worker thread: blocking I/O there is not an event-loop stall',
    },
  ],
  invalid: [
    {
      name: 'an imported blocking helper called from an async FastAPI handler',
      file: 'app/main.py',
      workspace: { 'app/services.py': 'import requests\n\n\ndef fetch_profile(uid):\n    return requests.get(f"https://p.example.com/{uid}", timeout=5).json()\n' },
      code: 'from fastapi import FastAPI\nfrom .services import fetch_profile\n\napp = FastAPI()\n\n\n@app.get("/p/{uid}")\nasync def profile(uid: int):\n    return fetch_profile(uid)\n',
      findings: [{ line: 9, message: /`requests\.get` is synchronous in `fetch_profile`, which the fastapi handler `profile` calls \(`profile` → `fetch_profile`\)/ }],
    },
    {
      name: 'the same blocking helper called from a sync handler first (fine: a thread runs it), then from two async ones: one finding, at the first async call',
      file: 'app/main.py',
      workspace: { 'app/services.py': 'import requests\n\n\ndef fetch_profile(uid):\n    return requests.get(f"https://p.example.com/{uid}", timeout=5).json()\n' },
      code: 'from fastapi import FastAPI\nfrom .services import fetch_profile\n\napp = FastAPI()\n\n\n@app.get("/a/{uid}")\ndef sync_profile(uid: int):\n    return fetch_profile(uid)\n\n\n@app.get("/b/{uid}")\nasync def profile(uid: int):\n    return fetch_profile(uid)\n\n\n@app.get("/c/{uid}")\nasync def card(uid: int):\n    return fetch_profile(uid)\n',
      findings: [{ line: 14, message: /^`requests\.get` is synchronous in `fetch_profile`, which the fastapi handler `profile` calls .* The same call runs from 1 more call in this file\.$/ }],
    },
    {
      name: 'an imported email send called from a Django view',
      file: 'accounts/views.py',
      workspace: { 'accounts/emails.py': 'from django.core.mail import send_mail\n\n\ndef send_welcome(user):\n    send_mail("Welcome", "Hi", "noreply@example.com", [user.email])\n' },
      code: 'from django.http import HttpResponse\nfrom .emails import send_welcome\n\n\ndef signup(request):\n    send_welcome(request.user)\n    return HttpResponse(status=201)\n',
      findings: [{ line: 6, message: /`send_mail` makes the request wait on a third party in `send_welcome`/ }],
    },
    {
      name: 'an email send behind a helper called on an imported module (`from . import emails`)',
      file: 'accounts/views.py',
      workspace: { 'accounts/emails.py': 'from django.core.mail import send_mail\n\n\ndef send_welcome(user):\n    send_mail("Welcome", "Hi", "noreply@example.com", [user.email])\n' },
      code: 'from django.http import HttpResponse\nfrom . import emails\n\n\ndef signup(request):\n    emails.send_welcome(request.user)\n    return HttpResponse(status=201)\n',
      findings: [{ line: 6, message: /`send_mail` makes the request wait on a third party in `emails\.send_welcome`, which the django handler `signup` calls/ }],
    },
  ],
});

ruleTests('blocking-call-in-handler', {
  valid: [],
  invalid: [
    {
      name: 'requests without a timeout: the thread fix leaves the arguments alone, so that the timeout fix applies with it',
      file: 'main.py',
      code: 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    return requests.get("https://x.example.com").json()\n',
      findings: [{ line: 9 }],
      output: 'import requests\nfrom fastapi import FastAPI\nimport asyncio\n\napp = FastAPI()\n\n\n@app.get("/b")\nasync def b():\n    return (await asyncio.to_thread(requests.get, "https://x.example.com")).json()\n',
    },
    {
      name: 'a blocking call used as an operand gets parentheses around the await',
      file: 'main.py',
      code: 'import requests\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get("/r")\nasync def r():\n    return requests.get("https://example.com", timeout=5).json()\n',
      findings: [{ line: 9 }],
      output: 'import requests\nfrom fastapi import FastAPI\nimport asyncio\n\napp = FastAPI()\n\n\n@app.get("/r")\nasync def r():\n    return (await asyncio.to_thread(requests.get, "https://example.com", timeout=5)).json()\n',
    },
  ],
});

// Django views found through urls.py, whatever their name, file or parameters.
const URLS = 'from django.urls import path\n\nfrom blog import pages\nfrom blog.reports import export_csv as export\n\nurlpatterns = [\n    path("dashboard/", pages.dashboard),\n    path("live/", pages.live),\n    path("export/", export, name="export"),\n]\n';

ruleTests('blocking-call-in-handler', {
  valid: [
    {
      name: 'a function no urls.py routes to, in a module that is not a views module (a script helper)',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': URLS },
      code: 'import time\n\n\nasync def warm_up(client):\n    time.sleep(1)\n',
      why: 'warm_up is not routed: it runs where its caller runs',
    },
    {
      name: 'a routed sync view doing blocking I/O (Django runs it in a worker thread)',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': URLS },
      code: 'import time\n\n\ndef dashboard(req):\n    time.sleep(1)\n',
      why: 'Django runs a sync view in a worker thread: no event loop is held',
    },
  ],
  invalid: [
    {
      name: 'a routed view named in urls.py sends email (any name, any parameter, any file)',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': URLS },
      code: 'from django.core.mail import send_mail\n\n\ndef dashboard(req):\n    send_mail("Hi", "body", "a@example.com", ["b@example.com"])\n',
      findings: [{ line: 5, message: /`send_mail` makes the request wait on a third party in the django handler `dashboard`/ }],
    },
    {
      name: 'a routed async view sleeping, through a helper of its module',
      file: 'blog/pages.py',
      workspace: { 'mysite/urls.py': URLS },
      code: 'import time\n\n\ndef pause():\n    time.sleep(1)\n\n\nasync def live(req):\n    pause()\n',
      findings: [{ line: 9, message: /`time\.sleep` .*`pause`, which the django handler `live` calls \(`live` → `pause`\)/ }],
    },
    {
      name: 'a view imported by name (and renamed) in urls.py',
      file: 'blog/reports.py',
      workspace: { 'mysite/urls.py': URLS },
      code: 'import smtplib\n\n\ndef export_csv(r):\n    smtplib.SMTP("mail.example.com").sendmail("a", ["b"], "x")\n',
      findings: [{ line: 5, message: /django handler `export_csv`/ }],
    },
  ],
});

// Sends in FastAPI handlers move to BackgroundTasks.
ruleTests('blocking-call-in-handler', {
  valid: [],
  invalid: [
    {
      name: 'a send statement in a FastAPI handler: a background_tasks parameter and add_task',
      file: 'app/main.py',
      code: 'from fastapi import FastAPI\nfrom django.core.mail import send_mail\n\napp = FastAPI()\n\n\n@app.post("/signup")\ndef signup(email: str):\n    send_mail("Welcome", "Hi", "noreply@example.com", [email])\n    return {"ok": True}\n',
      findings: [{ line: 9 }],
      output: 'from fastapi import FastAPI, BackgroundTasks\nfrom django.core.mail import send_mail\n\napp = FastAPI()\n\n\n@app.post("/signup")\ndef signup(email: str, background_tasks: BackgroundTasks):\n    background_tasks.add_task(send_mail, "Welcome", "Hi", "noreply@example.com", [email])\n    return {"ok": True}\n',
    },
    {
      name: 'an awaited send in an async handler that already takes BackgroundTasks (multi-line parameters)',
      file: 'app/main.py',
      code: 'import resend\nfrom fastapi import BackgroundTasks, FastAPI\n\napp = FastAPI()\n\n\n@app.post("/invite")\nasync def invite(\n    email: str,\n    tasks: BackgroundTasks,\n):\n    resend.Emails.send({"to": email})\n    return {"ok": True}\n',
      findings: [{ line: 12 }],
      output: 'import resend\nfrom fastapi import BackgroundTasks, FastAPI\n\napp = FastAPI()\n\n\n@app.post("/invite")\nasync def invite(\n    email: str,\n    tasks: BackgroundTasks,\n):\n    tasks.add_task(resend.Emails.send, {"to": email})\n    return {"ok": True}\n',
    },
    {
      name: 'a send whose result is used stays display-only',
      file: 'app/main.py',
      code: 'from fastapi import FastAPI\nfrom django.core.mail import send_mail\n\napp = FastAPI()\n\n\n@app.post("/signup")\ndef signup(email: str):\n    sent = send_mail("Welcome", "Hi", "noreply@example.com", [email])\n    return {"sent": sent}\n',
      findings: [{ line: 9, message: /background job/ }],
    },
  ],
});
