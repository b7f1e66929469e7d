-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 0009: a value is the same measurement's across framework
-- versions when the code is the same (domain/observation.c finds the current
-- version of a value by code, so a correction entered after a new framework
-- version was published supersedes the value entered under the old one).
CREATE INDEX framework_measurements_code ON framework_measurements (code);
