// An independent SCIM 2.0 server for testing the Go SCIM client at the RFC level:
// filter syntax and escaping, PatchOp bodies, ListResponse and Error parsing, and
// startIndex paging. It is SCIMMY with express, keeping users and groups in memory.
//
//   PORT (default 8890)             port on 127.0.0.1
//   SCIMMY_TOKEN (default below)    the bearer token it accepts
//
// It serves http://127.0.0.1:$PORT/scim/v2/ and prints one line when it listens.
import {randomUUID} from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const port = Number(process.env.PORT ?? 8890);
const token = process.env.SCIMMY_TOKEN ?? "scimmy-test-token";

const users = new Map();
const groups = new Map();

const plain = (v) => JSON.parse(JSON.stringify(v));
const fold = (s) => String(s ?? "").toLowerCase();
const notFound = (kind, id) => new SCIMMY.Types.Error(404, null, `${kind} ${id} not found`);

// A user as the server shows it: with the groups it belongs to, always as a list
// (SCIMMY's filter cannot match on a missing one), so that groups.value filters work.
function withGroups(u) {
    const member = [...groups.values()]
        .filter((g) => (g.members ?? []).some((m) => m.value === u.id))
        .map((g) => ({value: g.id, display: g.displayName}));
    return {...u, groups: member};
}

function list(resource, items) {
    return resource.filter ? resource.filter.match(items) : items;
}

function meta(resourceType, old) {
    const now = new Date().toISOString();
    return {resourceType, created: old?.meta?.created ?? now, lastModified: now};
}

SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress((resource) => {
        if (resource.id) {
            const u = users.get(resource.id);
            if (!u) throw notFound("User", resource.id);
            return withGroups(u);
        }
        return list(resource, [...users.values()].map(withGroups));
    })
    .ingress((resource, instance) => {
        const id = resource.id ?? randomUUID();
        const old = users.get(id);
        if (resource.id && !old) throw notFound("User", id);
        const u = plain(instance);
        delete u.groups;
        for (const other of users.values()) {
            if (other.id !== id && fold(other.userName) === fold(u.userName)) {
                throw new SCIMMY.Types.Error(409, "uniqueness", "userName is already taken");
            }
            if (u.externalId && other.id !== id && other.externalId === u.externalId) {
                throw new SCIMMY.Types.Error(409, "uniqueness", "externalId is already taken");
            }
        }
        const stored = {...u, id, meta: meta("User", old)};
        users.set(id, stored);
        return withGroups(stored);
    })
    .degress((resource) => {
        if (!users.delete(resource.id)) throw notFound("User", resource.id);
        for (const g of groups.values()) {
            g.members = (g.members ?? []).filter((m) => m.value !== resource.id);
        }
    });

SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .egress((resource) => {
        if (resource.id) {
            const g = groups.get(resource.id);
            if (!g) throw notFound("Group", resource.id);
            return g;
        }
        return list(resource, [...groups.values()]);
    })
    .ingress((resource, instance) => {
        const id = resource.id ?? randomUUID();
        const old = groups.get(id);
        if (resource.id && !old) throw notFound("Group", id);
        const g = plain(instance);
        for (const other of groups.values()) {
            if (other.id !== id && fold(other.displayName) === fold(g.displayName)) {
                throw new SCIMMY.Types.Error(409, "uniqueness", "displayName is already taken");
            }
        }
        for (const m of g.members ?? []) {
            if (!users.has(m.value)) {
                throw new SCIMMY.Types.Error(400, "invalidValue", `no user ${m.value}`);
            }
        }
        const stored = {...g, id, members: g.members ?? [], meta: meta("Group", old)};
        groups.set(id, stored);
        return stored;
    })
    .degress((resource) => {
        if (!groups.delete(resource.id)) throw notFound("Group", resource.id);
    });

const app = express();
app.use("/scim/v2", new SCIMMYRouters({
    type: "bearer",
    handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${token}`) {
            throw new Error("Bearer token is not valid");
        }
        return "awsidc-test";
    },
}));

const server = app.listen(port, "127.0.0.1", () => {
    console.log(`scimmy listening on http://127.0.0.1:${server.address().port}/scim/v2/`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => server.close(() => process.exit(0)));
}
