import time
from functools import lru_cache

import httpx
from fastapi import Depends, FastAPI, Query
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from .models import Item, Owner

engine = create_engine("postgresql+psycopg://localhost/shop")
SessionLocal = sessionmaker(engine)
app = FastAPI()
ledger = httpx.AsyncClient(base_url="https://ledger.internal", timeout=5)


def get_db():
    with SessionLocal() as session:
        yield session


@app.get("/items")
def list_items(skip: int = 0, limit: int = 100, db: Session = Depends(get_db)):
    return db.execute(select(Item).order_by(Item.id).offset(skip).limit(limit)).scalars().all()


@app.get("/owners")
def list_owners(page: int = 1, db: Session = Depends(get_db)):
    return db.query(Owner).order_by(Owner.name).offset((page - 1) * 50).limit(50).all()


@app.get("/items/after/{after_id}")
def items_after(after_id: int, limit: int = 100, db: Session = Depends(get_db)):
    # Keyset pagination: not a finding.
    stmt = select(Item).where(Item.id > after_id).order_by(Item.id).limit(limit)
    return db.execute(stmt).scalars().all()


@app.get("/items/with-owners")
def items_with_owners(db: Session = Depends(get_db)):
    items = db.scalars(select(Item).order_by(Item.id).limit(100)).all()
    # item.owner is a lazy relationship: one SELECT per item (N+1).
    return [{"title": item.title, "owner": item.owner.name} for item in items]


@app.get("/items/batch")
def items_batch(ids: list[int] = Query([]), db: Session = Depends(get_db)):
    # One SELECT per id (N+1): select(Item).where(Item.id.in_(ids)) does it in one.
    return [db.get(Item, item_id) for item_id in ids]


@app.get("/items/{item_id}/price")
def item_price(item_id: int, currency: str = "USD", db: Session = Depends(get_db)):
    item = db.get(Item, item_id)
    return {"id": item.id, "price": item.price_cents / 100 * exchange_rate(currency), "currency": currency}


@app.post("/payments/webhook")
async def payment_webhook(payload: dict):
    for attempt in range(3):
        response = await ledger.post("/entries", json=payload)
        if response.status_code < 500:
            return {"recorded": response.is_success}
        # Backs off with time.sleep: the event loop stops, and every request on this worker waits too.
        time.sleep(2**attempt)
    return {"recorded": False}


# Unbounded: one entry per currency string a client ever sends, kept (and never refreshed) for the
# life of the process.
@lru_cache(maxsize=None)
def exchange_rate(currency: str) -> float:
    response = httpx.get("https://rates.example.com/latest", params={"base": "USD", "symbol": currency}, timeout=5)
    return response.json()["rate"]

