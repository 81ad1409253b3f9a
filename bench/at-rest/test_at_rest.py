"""Unit tests of the bench's pure parts: /proc parsing, the store counters, the figures and goals.
Run: python3 -B -m unittest discover -s bench/at-rest"""

import os
import sqlite3
import tempfile
import threading
import time
import unittest

import probes
import report
from gantry import GantryCli
from window import Window

# A real /proc/PID/stat line whose command name holds a space and a parenthesis.
STAT = "4242 (dotnet (x) y) S 1 4242 4242 0 -1 4194560 12345 0 0 0 150 75 0 0 20 0 24 0 1000 0 0"


class ProbesTests(unittest.TestCase):
    def test_parse_cpu_ticks_name_with_parentheses_sums_utime_and_stime(self):
        self.assertEqual(probes.parse_cpu_ticks(STAT), 225)

    def test_parse_parent_pid_name_with_parentheses_reads_field_four(self):
        self.assertEqual(probes.parse_parent_pid(STAT), 1)

    def test_parse_rss_bytes_status_text_returns_bytes(self):
        self.assertEqual(probes.parse_rss_bytes("Name:\tgantry\nVmHWM:\t  9000 kB\nVmRSS:\t  8192 kB\n"), 8192 * 1024)

    def test_parse_rss_bytes_zombie_without_rss_returns_zero(self):
        self.assertEqual(probes.parse_rss_bytes("Name:\tgantry\nState:\tZ (zombie)\n"), 0)

    def test_cpu_seconds_own_process_is_positive(self):
        sum(range(200_000))
        self.assertGreater(probes.cpu_seconds(os.getpid()), 0)

    def test_store_counters_schema_like_gantrys_reads_revision_and_event_high_water_mark(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "gantry.db")
            db = sqlite3.connect(path)
            db.executescript("""
                CREATE TABLE store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO store_meta VALUES ('revision', 41), ('changes_compacted_through', 0);
                CREATE TABLE changes (resource_version INTEGER PRIMARY KEY);
                INSERT INTO changes VALUES (40), (41);
                CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, reason TEXT);
                INSERT INTO events (reason) VALUES ('a'), ('b'), ('c');
                DELETE FROM events WHERE id < 3;""")
            db.commit()
            db.close()
            self.assertEqual(probes.store_counters(path), probes.StoreCounters(41, 3, 2, 1))

    def test_directory_parts_nested_files_sums_each_top_level_entry(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "bundles", "ab"))
            with open(os.path.join(d, "bundles", "ab", "x"), "wb") as f:
                f.write(b"x" * 100)
            with open(os.path.join(d, "gantry.db"), "wb") as f:
                f.write(b"y" * 10)
            self.assertEqual(probes.directory_parts(d), {"bundles": 100, "gantry.db": 10})


def window(seconds, cpu, revision=(0, 0), events=(0, 0), size=(0, 0)) -> Window:
    return Window(seconds=seconds, cpu_seconds=cpu, rss_end={k: 100 * report.MIB for k in cpu},
                  rss_peak={k: 100 * report.MIB for k in cpu},
                  store_before=probes.StoreCounters(revision[0], events[0], 0, 0),
                  store_after=probes.StoreCounters(revision[1], events[1], 0, 0),
                  dir_before={"gantry.db": size[0]}, dir_after={"gantry.db": size[1]})


class ReportTests(unittest.TestCase):
    def test_figures_busy_loop_reports_rates_against_the_window(self):
        running = window(60, {"server": 30.0, "router": 0.6, "dockerd": 12.0}, revision=(100, 6100), events=(5, 65), size=(0, report.MIB))
        stopped = window(60, {"dockerd": 1.2})
        values = report.figures(report.Scale(10, 3, running, stopped))
        self.assertAlmostEqual(values["server_cpu"], 50.0)
        self.assertAlmostEqual(values["writes_min"], 6060.0)
        self.assertAlmostEqual(values["writes_per_app_min"], 606.0)
        self.assertAlmostEqual(values["dir_growth_mib_h"], 60.0)
        self.assertAlmostEqual(values["dockerd_extra"], 18.0)

    def test_all_met_quiet_server_passes_and_busy_one_fails(self):
        quiet = report.Scale(10, 3, window(300, {"server": 1.5, "router": 1.0, "dockerd": 6.0}, revision=(10, 12)),
                             window(300, {"dockerd": 5.0}))
        busy = report.Scale(10, 3, window(300, {"server": 150.0, "router": 1.0, "dockerd": 6.0}, revision=(10, 12)),
                            window(300, {"dockerd": 5.0}))
        self.assertTrue(report.all_met([quiet]))
        self.assertFalse(report.all_met([quiet, busy]))

    def test_render_two_scales_prints_growth_column_and_verdicts(self):
        small = report.Scale(10, 3, window(60, {"server": 0.3, "router": 0.1, "dockerd": 1.0}), window(60, {"dockerd": 1.0}))
        large = report.Scale(50, 3, window(60, {"server": 0.6, "router": 0.1, "dockerd": 1.0}), window(60, {"dockerd": 1.0}))
        text = report.render([small, large], 60)
        self.assertIn("50/10 apps", text)
        self.assertIn("x2.0", text)
        self.assertEqual(text.count("PASS"), 8)

    def test_render_zero_apps_baseline_not_judged_and_ratio_against_it(self):
        empty = report.Scale(0, 3, window(60, {"server": 0.3, "router": 0.1, "dockerd": 1.0}, revision=(10, 10)), window(60, {"dockerd": 1.0}))
        ten = report.Scale(10, 3, window(60, {"server": 0.45, "router": 0.1, "dockerd": 1.0}, revision=(10, 10)), window(60, {"dockerd": 1.0}))
        self.assertIsNone(report.figures(empty)["writes_per_app_min"])
        self.assertEqual(report.verdicts(empty), [])
        self.assertTrue(report.all_met([empty, ten]))
        text = report.render([empty, ten], 60)
        self.assertIn("10/0 apps", text)
        self.assertIn("x1.5", text)
        self.assertNotIn("  0 apps  server CPU", text)
        self.assertEqual(len([l for l in text.splitlines() if l.endswith("PASS")]), 4)


class GantryCliTests(unittest.TestCase):
    def test_cancel_verb_in_flight_ends_it_and_refuses_new_ones(self):
        with tempfile.TemporaryDirectory() as d:
            token = os.path.join(d, "token")
            with open(token, "w", encoding="ascii") as f:
                f.write("t\n")
            cli = GantryCli("/bin/sleep", d, "http://127.0.0.1:1", token)  # a "verb" that runs 30 s
            results = []
            worker = threading.Thread(target=lambda: results.append(cli.run(["30"])))
            started = time.monotonic()
            worker.start()
            time.sleep(0.3)
            cli.cancel()
            worker.join(10)
            self.assertLess(time.monotonic() - started, 10)
            self.assertNotEqual(results[0][0], 0)
            self.assertEqual(cli.run(["0"])[0], 130)
            cli.resume()
            self.assertEqual(cli.run(["0"])[0], 0)


if __name__ == "__main__":
    unittest.main()
