#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that the shared MIME database recognises a Kodex workspace.

Builds a private MIME database from the system's freedesktop.org.xml and
our package file, then asks GIO for the content type of a few SQLite files:
a workspace is recognised by its application_id even without the .kodex
extension, and any SQLite file named *.kodex is claimed by the glob.

Usage: check-mime.py MIME_XML
Exits 77 (skipped) when update-mime-database, gio or the system MIME
definitions are missing.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

WORKSPACE = 'application/x-kodex-workspace'
SQLITE = 'application/vnd.sqlite3'
KDX1 = 0x4B445831


def find_freedesktop_xml():
    dirs = os.environ.get('XDG_DATA_DIRS') or '/usr/local/share:/usr/share'
    for d in dirs.split(':') + ['/usr/share']:
        path = os.path.join(d, 'mime', 'packages', 'freedesktop.org.xml')
        if os.path.isfile(path):
            return path
    return None


def make_sqlite(path, application_id=None):
    db = sqlite3.connect(path)
    if application_id is not None:
        db.execute('PRAGMA application_id = %d' % application_id)
    db.execute('CREATE TABLE t (x)')
    db.commit()
    db.close()


def content_type(path, env):
    out = subprocess.run(['gio', 'info', '-a', 'standard::content-type', path],
                         env=env, check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        line = line.strip()
        if line.startswith('standard::content-type:'):
            return line.split(':', 3)[-1].strip()
    return None


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    freedesktop = find_freedesktop_xml()
    if not (shutil.which('update-mime-database') and shutil.which('gio') and freedesktop):
        print('SKIP: update-mime-database, gio or freedesktop.org.xml missing')
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        packages = os.path.join(tmp, 'share', 'mime', 'packages')
        os.makedirs(packages)
        shutil.copy(freedesktop, packages)
        shutil.copy(sys.argv[1], os.path.join(packages, 'io.github.kodexapp.Kodex.xml'))
        subprocess.run(['update-mime-database', os.path.join(tmp, 'share', 'mime')],
                       check=True, capture_output=True)

        files = os.path.join(tmp, 'files')
        os.makedirs(files)
        cases = [
            ('workspace', KDX1, WORKSPACE),            # magic alone
            ('workspace.kodex', KDX1, WORKSPACE),      # glob and magic
            ('plain', None, SQLITE),                   # SQLite without our id
            ('foreign', KDX1 + 1, SQLITE),             # another application's id
            ('renamed.kodex', None, WORKSPACE),        # glob alone
        ]
        env = dict(os.environ,
                   XDG_DATA_DIRS=os.path.join(tmp, 'share'),
                   XDG_DATA_HOME=os.path.join(tmp, 'nonexistent'),
                   GIO_USE_VFS='local')
        failed = 0
        for i, (name, app_id, expected) in enumerate(cases, 1):
            path = os.path.join(files, name)
            make_sqlite(path, app_id)
            got = content_type(path, env)
            ok = got == expected
            failed += not ok
            print('%s %d - %s is %s%s' % ('ok' if ok else 'not ok', i, name, expected,
                                          '' if ok else ' (got %s)' % got))
        print('1..%d' % len(cases))
        return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
