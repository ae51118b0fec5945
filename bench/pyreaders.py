"""The Python side of the shard-read benchmark: the webdataset library reading shards from AIS over HTTP.

    python pyreaders.py PARALLELISM URL...

Each of PARALLELISM processes iterates webdataset.WebDataset over its share of the shard URLs (which
webdataset fetches with `curl -L`, following AIS's redirects), touching every member's bytes. Prints
ELAPSED and RESULT lines as the Java cases do.
"""
import multiprocessing
import sys
import time

import webdataset as wds


def drain(urls):
    total_bytes = 0
    samples = 0
    for sample in wds.WebDataset(urls, shardshuffle=False, empty_check=False):
        samples += 1
        for key, value in sample.items():
            if not key.startswith("__"):
                total_bytes += len(value)
    return total_bytes, samples


def main():
    parallelism = int(sys.argv[1])
    urls = sys.argv[2:]
    shares = [urls[i::parallelism] for i in range(parallelism) if urls[i::parallelism]]
    start = time.perf_counter()
    with multiprocessing.Pool(len(shares)) as pool:
        results = pool.map(drain, shares)
    print("ELAPSED seconds=%f" % (time.perf_counter() - start))
    print("RESULT bytes=%d items=%d" % (sum(r[0] for r in results), sum(r[1] for r in results)))


if __name__ == "__main__":
    main()
