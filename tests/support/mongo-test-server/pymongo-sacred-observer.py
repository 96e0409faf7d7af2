"""What Sacred 0.8.7's MongoObserver does, call for call, through pymongo (integration tests).

usage: python3 pymongo-sacred-observer.py MONGODB_URI DB
Records three runs the way the observer does (sources and artifacts in GridFS, the _id
picked as max + 1, heartbeats that $set the whole run including its _id, metrics pushed
with $push/$each upserts, final_save with upsert=True), reads everything back and prints
one JSON line with what pymongo saw, Python types included. Exits non-zero on any error.
"""
import datetime
import hashlib
import json
import sys
import threading

import gridfs
import pymongo
from pymongo import monitoring

uri, db_name = sys.argv[1], sys.argv[2]


class Heartbeats(monitoring.ServerHeartbeatListener):
    """Counts the monitor's awaited (streamed) heartbeats, as against mongod >= 4.4."""

    def __init__(self):
        self.awaited = 0
        self.failures = 0
        self.two_awaited = threading.Event()

    def started(self, event):
        pass

    def succeeded(self, event):
        if getattr(event, "awaited", False):
            self.awaited += 1
            if self.awaited >= 2:
                self.two_awaited.set()

    def failed(self, event):
        self.failures += 1


heartbeats = Heartbeats()
client = pymongo.MongoClient(
    uri, serverSelectionTimeoutMS=5000, heartbeatFrequencyMS=500, event_listeners=[heartbeats]
)
db = client[db_name]
runs, metrics, fs = db.runs, db.metrics, gridfs.GridFS(db)


def utcnow():
    # Sacred's timestamps: naive UTC datetimes (milliseconds survive BSON).
    now = datetime.datetime.utcnow()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def save_sources():
    # MongoObserver.save_sources: reuse a stored file with the same name and md5.
    data = b"from sacred import Experiment\n"
    name = "/home/alice/experiments/demo.py"
    found = fs.find_one({"filename": name, "md5": hashlib.md5(data).hexdigest()})
    return [["demo.py", found._id if found else fs.put(data, filename=name)]]


def insert(run):
    # MongoObserver.insert: _id = highest _id + 1, unless the run brings its own.
    if run.get("_id") is None:
        c = runs.find({}, {"_id": 1}).sort("_id", pymongo.DESCENDING).limit(1)
        run["_id"] = c.next()["_id"] + 1 if runs.count_documents({}, limit=1) else 1
    runs.insert_one(run)


def started_event(config, _id=None):
    run = {"_id": _id}
    run.update(
        {
            "experiment": {"name": "demo", "base_dir": "/home/alice/experiments"},
            "format": "MongoObserver-0.7.0",
            "command": "main",
            "host": {"hostname": "vm"},
            "start_time": utcnow(),
            "config": config,
            "meta": {"command": "main", "options": {}},
            "status": "RUNNING",
            "resources": [],
            "artifacts": [],
            "captured_out": "",
            "info": {},
            "heartbeat": None,
        }
    )
    run["experiment"]["sources"] = save_sources()
    insert(run)
    return run


def save(run):
    runs.update_one({"_id": run["_id"]}, {"$set": run})


def final_save(run):
    runs.update_one({"_id": run["_id"]}, {"$set": run}, upsert=True)


def log_metrics(run, name, steps, values):
    result = metrics.update_one(
        {"run_id": run["_id"], "name": name},
        {
            "$push": {
                "steps": {"$each": steps},
                "values": {"$each": values},
                "timestamps": {"$each": [utcnow() for _ in steps]},
            }
        },
        upsert=True,
    )
    if result.upserted_id is not None:
        run["info"].setdefault("metrics", []).append({"name": name, "id": str(result.upserted_id)})


def heartbeat(run, output, result=None):
    run["captured_out"] = output
    run["heartbeat"] = utcnow()
    run["result"] = result
    save(run)


artifact = bytes(i % 256 for i in range(300_000))  # two GridFS chunks

one = started_event({"tau": 10.0, "seed": 42, "lr": 0.5, "layers": [64, 32]})
log_metrics(one, "loss", [0, 1], [1.0, 0.5])
heartbeat(one, "epoch 1\n")
log_metrics(one, "loss", [2], [0.25])
file_id = fs.put(
    artifact, filename="artifact://runs/1/weights.bin", metadata=None, content_type="application/octet-stream"
)
one["artifacts"].append({"name": "weights.bin", "file_id": file_id})
save(one)
one.update(stop_time=utcnow(), result=1.0, status="COMPLETED")
final_save(one)

two = started_event({"tau": 2.5})
two.update(stop_time=utcnow(), status="FAILED", fail_trace=["Traceback:\n", "ValueError\n"])
final_save(two)

# A run the database lost (deleted while running): final_save's upsert inserts it again.
three = started_event({"tau": 1.0}, _id="alice-custom-1")
runs.delete_one({"_id": "alice-custom-1"})
three.update(stop_time=utcnow(), status="INTERRUPTED")
final_save(three)

try:
    runs.update_one({"_id": 1}, {"$set": {"_id": 99}})
    immutable = None
except pymongo.errors.WriteError as error:
    immutable = error.code

stored = {doc["_id"]: doc for doc in runs.find({})}
loss = metrics.find_one({"run_id": 1, "name": "loss"})
weights = fs.get(file_id)
streamed = heartbeats.two_awaited.wait(timeout=15)
print(
    json.dumps(
        {
            "ids": sorted(stored, key=lambda i: (isinstance(i, str), str(i))),
            "statuses": {str(k): v["status"] for k, v in stored.items()},
            "types": {
                "tau": type(stored[1]["config"]["tau"]).__name__,
                "seed": type(stored[1]["config"]["seed"]).__name__,
                "result": type(stored[1]["result"]).__name__,
                "lossValues": [type(v).__name__ for v in loss["values"]],
                "lossSteps": [type(v).__name__ for v in loss["steps"]],
            },
            "lossValues": loss["values"],
            "lossPoints": len(loss["timestamps"]),
            "metricRef": stored[1]["info"]["metrics"] == [{"name": "loss", "id": str(loss["_id"])}],
            "artifactRoundTrip": weights.read() == artifact and weights.length == len(artifact),
            "sourcesShared": stored[1]["experiment"]["sources"] == stored[2]["experiment"]["sources"],
            "failTrace": stored[2]["fail_trace"],
            "immutableCode": immutable,
            "awaitedHeartbeats": streamed,
            "failedHeartbeats": heartbeats.failures,
        }
    )
)
client.close()
