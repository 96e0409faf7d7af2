"""GridFS round trip through the test server with pymongo (used by the integration tests).

usage: python3 pymongo-gridfs-check.py MONGODB_URI DB NODE_FILE_NAME
Uploads 600 kB with pymongo's GridFS, reads it back, reads the file the Node driver
uploaded under NODE_FILE_NAME, and prints one JSON line with what it saw.
"""
import hashlib
import json
import sys

import gridfs
import pymongo

uri, db_name, node_file = sys.argv[1], sys.argv[2], sys.argv[3]
client = pymongo.MongoClient(uri, serverSelectionTimeoutMS=5000)
db = client[db_name]
fs = gridfs.GridFS(db)
data = bytes(i % 251 for i in range(600 * 1024))
file_id = fs.put(data, filename="from-python.bin")
back = fs.get(file_id).read()
node_bytes = gridfs.GridFSBucket(db).open_download_stream_by_name(node_file).read()
print(
    json.dumps(
        {
            "roundTrip": back == data,
            "pythonSha256": hashlib.sha256(data).hexdigest(),
            "nodeFileSha256": hashlib.sha256(node_bytes).hexdigest(),
            "chunks": db.fs.chunks.count_documents({"files_id": file_id}),
        }
    )
)
client.close()
