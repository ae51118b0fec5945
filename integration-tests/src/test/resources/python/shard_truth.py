"""What Python's standard library makes of shards, for the corrupt- and odd-shard integration tests.

  shard_truth.py read ENDPOINT BUCKET OBJECT...   fetch each object from AIS (following the proxy's
                                                  redirect) and read it with tarfile (mode "r|*") or,
                                                  when it starts with PK, zipfile; print one JSON line
                                                  per object
  shard_truth.py zip-stream OUT NAME=HEX...       write a zip of STORED members to OUT through a
                                                  stream that cannot seek or tell, so that zipfile
                                                  writes data descriptors (sizes after the data)

A read prints {"object": name, "members": [{"name": n, "sha256": hex} or {"name": n, "error": text}],
"error": text or null}: every regular file in archive order, and the error that stopped the archive.
"""
import hashlib
import io
import json
import sys
import tarfile
import urllib.parse
import urllib.request
import zipfile


def fetch(endpoint, bucket, name):
    url = "%s/v1/objects/%s/%s?provider=ais" % (endpoint.rstrip("/"), bucket, urllib.parse.quote(name, safe="/"))
    with urllib.request.urlopen(url, timeout=60) as response:  # urllib follows the 307 to the target
        return response.read()


def read_tar(data, members):
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|*") as archive:
        for info in archive:
            if not info.isreg():
                continue
            try:
                content = archive.extractfile(info).read()
            except Exception as e:  # the stream is broken: nothing after this member can be read
                members.append({"name": info.name, "error": repr(e)})
                raise
            members.append({"name": info.name, "sha256": hashlib.sha256(content).hexdigest()})


def read_zip(data, members):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            try:
                content = archive.read(info)
            except Exception as e:  # a bad member; zipfile can go on with the next one
                members.append({"name": info.filename, "error": repr(e)})
                continue
            members.append({"name": info.filename, "sha256": hashlib.sha256(content).hexdigest()})


def read(endpoint, bucket, names):
    for name in names:
        data = fetch(endpoint, bucket, name)
        members = []
        error = None
        try:
            (read_zip if data[:2] == b"PK" else read_tar)(data, members)
        except Exception as e:
            error = repr(e)
        print(json.dumps({"object": name, "members": members, "error": error}))


class Unseekable:
    """A write-only stream: no tell(), no seek(), as a pipe or a socket."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, b):
        return self.raw.write(b)

    def flush(self):
        self.raw.flush()


def zip_stream(out, specs):
    with open(out, "wb") as f:
        with zipfile.ZipFile(Unseekable(f), "w", compression=zipfile.ZIP_STORED) as archive:
            for spec in specs:
                name, _, hexdata = spec.partition("=")
                archive.writestr(name, bytes.fromhex(hexdata))


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif sys.argv[1] == "zip-stream":
        zip_stream(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("unknown command " + sys.argv[1])
