"""The Python webdataset library's side of the interoperability tests.

  wds_interop.py read SHARD...         read shards with webdataset.WebDataset, print each sample as JSON
  wds_interop.py write DIR COUNT MAX   write COUNT samples with webdataset.ShardWriter (MAX per shard) into
                                       DIR/py-%06d.tar and print each sample as JSON

A sample prints as {"__key__": key, "<ext>": "<hex of the bytes>", ...}.
"""
import json
import sys

import webdataset as wds


def show(sample):
    out = {"__key__": sample["__key__"]}
    for k, v in sample.items():
        if not k.startswith("__"):
            out[k] = v.hex()
    print(json.dumps(out, sort_keys=True))


def read(shards):
    for sample in wds.WebDataset(shards, shardshuffle=False, empty_check=False):
        show(sample)


def write(directory, count, maxcount):
    with wds.ShardWriter(directory + "/py-%06d.tar", maxcount=maxcount, verbose=0) as sink:
        for i in range(count):
            sample = {
                "__key__": "py/sample_%04d" % i,
                "jpg": bytes([i % 256]) * (100 + i),
                "cls": str(i % 7).encode(),
                "seg.png": ("segmentation %d" % i).encode(),
            }
            if i % 4 == 0:
                sample["json"] = json.dumps({"i": i}).encode()
            sink.write(sample)
            show(sample)


if __name__ == "__main__":
    if sys.argv[1] == "read":
        read(sys.argv[2:])
    else:
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
