#!/usr/bin/env python3
"""Start moto 5.2.1 on 127.0.0.1 for the awsidc integration tests.

Usage:
    python3 testdata/moto/launch.py [PORT]

PORT defaults to 0, which lets the system pick a free port. The first line
written to stdout is the server URL, for example ``http://127.0.0.1:40123``;
the server then runs until it receives SIGINT or SIGTERM.

moto differs from AWS in ways that would let bugs of ours pass unnoticed.
This launcher patches moto's classes at import time (it does not fork moto)
to correct only those, each patch saying what AWS does. It deliberately
leaves alone what AWS also does, and what only affects writes we do not test
here (see README.md next to this file for the list of known gaps).

Test isolation: every test assumes a role in a fresh random 12-digit account
through STS. moto keys all its state by the account that issued the calling
access key, so each test sees a brand-new organisation, SSO instance and
identity store. Nothing in this file is needed for that.
"""

import json
import signal
import sys
import threading

import botocore.session
import moto
from moto.core.responses import BaseResponse
from moto.identitystore import models as idstore_models
from moto.identitystore import responses as idstore_responses
from moto.identitystore.exceptions import (
    ConflictException as IdentityStoreConflict,
    ResourceNotFoundException as IdentityStoreNotFound,
)
from moto.organizations import models as org_models
from moto.organizations import responses as org_responses
from moto.organizations import utils as org_utils
from moto.organizations.exceptions import AWSOrganizationsNotInUseException
from moto.server import ThreadedMotoServer
from moto.ssoadmin import models as sso_models
from moto.ssoadmin import responses as sso_responses
from moto.ssoadmin.exceptions import ResourceNotFoundException as SSONotFound
from moto.ssoadmin.models import AccountAssignment
from moto.utilities.paginator import paginate

MOTO_VERSION = "5.2.1"

IdentityStoreBackend = idstore_models.IdentityStoreBackend
IdentityStoreResponse = idstore_responses.IdentityStoreResponse
SSOAdminBackend = sso_models.SSOAdminBackend
SSOAdminResponse = sso_responses.SSOAdminResponse
OrganizationsBackend = org_models.OrganizationsBackend
OrganizationsResponse = org_responses.OrganizationsResponse


# ---------------------------------------------------------------------------
# Every service: one request at a time.
#
# AWS serves concurrent requests safely; moto's in-memory backends are not
# made for it, and the threaded server runs test processes' requests side by
# side. A request that trips over another surfaces as HTTP 500, the SDK
# retries it, and a create that had in fact succeeded then answers
# ConflictException. Handling moto's requests one at a time keeps the
# emulator as consistent as AWS is; it is fast enough that tests do not
# notice.
# ---------------------------------------------------------------------------

_moto_lock = threading.RLock()
_original_call_action = BaseResponse.call_action


def _serialised_call_action(self):
    with _moto_lock:
        return _original_call_action(self)


BaseResponse.call_action = _serialised_call_action


def _sso_backend(account_id, region):
    return sso_models.ssoadmin_backends[account_id][region]


def _idstore_backend(account_id, region):
    return idstore_models.identitystore_backends[account_id][region]


def _error(status, error_type, message, **extra):
    """Build a JSON 1.1 error response as AWS sends it."""
    body = {"__type": error_type, "message": message, "Message": message}
    body.update(extra)
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    return status, headers, json.dumps(body)


# ---------------------------------------------------------------------------
# Every service: MaxResults ranges.
#
# AWS rejects a MaxResults outside the range in its model (1-100 for Identity
# Store and SSO Admin, 1-20 for Organizations) and the Go SDK does not check it
# on the client. moto accepts any value, so a caller asking for 1,000 items a
# page would pass here and fail against AWS. The ranges come from botocore's
# service models, the same models the SDKs are generated from.
# ---------------------------------------------------------------------------

_botocore = botocore.session.get_session()
_ranges = {}


def _max_results_range(service, action):
    key = (service, action)
    if key not in _ranges:
        found = None
        try:
            model = _botocore.get_service_model(service)
            shape = model.operation_model(action).input_shape
            if shape is not None and "MaxResults" in shape.members:
                meta = shape.members["MaxResults"].metadata
                found = (meta.get("min"), meta.get("max"))
        except Exception:  # unknown operation: leave it to moto
            found = None
        _ranges[key] = found
    return _ranges[key]


def _check_max_results(response, service):
    """Return an error response when MaxResults is out of range, else None."""
    action = response._get_action()
    limits = _max_results_range(service, action)
    value = response._get_param("MaxResults")
    if limits is None or value is None:
        return None
    low, high = limits
    if (low is None or value >= low) and (high is None or value <= high):
        return None

    message = (
        f"1 validation error detected: Value '{value}' at 'maxResults' failed to "
        f"satisfy constraint: Member must have value "
        f"{'less' if high is not None and value > high else 'greater'} than or equal "
        f"to {high if high is not None and value > high else low}"
    )
    if service == "organizations":
        # Organizations reports range errors as InvalidInputException.
        reason = "MAX_VALUE_EXCEEDED" if value > high else "MIN_VALUE_EXCEEDED"
        return _error(400, "InvalidInputException", message, Reason=reason)
    return _error(400, "ValidationException", message)


def _guarded_call_action(service, check=None):
    """Wrap a response class's call_action with request checks run first."""

    def wrap(original):
        def call_action(self):
            failed = _check_max_results(self, service)
            if failed is None and check is not None:
                failed = check(self)
            if failed is not None:
                return failed
            return original(self)

        return call_action

    return wrap


# ---------------------------------------------------------------------------
# Identity Store.
# ---------------------------------------------------------------------------


def _known_store(self, store_id):
    """Look up an identity store, failing for one that does not exist.

    AWS answers ResourceNotFoundException (or AccessDenied for another account's
    store) for an identity store id it does not know. moto silently creates an
    empty store for any id, so passing the instance ARN or a typo where the
    store id belongs would list nothing instead of failing.
    """
    if not store_id:
        raise idstore_models.ParamValidationError(
            msg="Invalid length for parameter IdentityStoreId, value: 0, "
            "valid min length: 1"
        )
    sso = _sso_backend(self.account_id, self.region_name)
    if store_id not in {i.identity_store_id for i in sso.instances}:
        raise IdentityStoreNotFound(
            message=f"Identity store {store_id} not found.",
            resource_type="IDENTITY_STORE",
        )
    if store_id not in self.identity_stores:
        self.identity_stores[store_id] = idstore_models.IdentityStoreData()
    return self.identity_stores[store_id]


IdentityStoreBackend._IdentityStoreBackend__get_identity_store = _known_store

_original_delete_user = IdentityStoreBackend.delete_user
_original_delete_group = IdentityStoreBackend.delete_group
_original_create_membership = IdentityStoreBackend.create_group_membership


def _delete_user(self, identity_store_id, user_id):
    """Delete a user together with its memberships and assignments.

    AWS removes a deleted user's group memberships and its account assignments
    (the user can no longer sign in, and ListAccountAssignments stops showing
    it). moto leaves both behind, so a reader would report accesses of a user
    that no longer exists.
    """
    _original_delete_user(self, identity_store_id, user_id)
    store = self.identity_stores[identity_store_id]
    for membership_id, m in list(store.group_memberships.items()):
        if m["MemberId"].get("UserId") == user_id:
            del store.group_memberships[membership_id]

    sso = _sso_backend(self.account_id, self.region_name)
    instances = {
        i.instance_arn for i in sso.instances if i.identity_store_id == identity_store_id
    }
    sso.account_assignments = [
        a
        for a in sso.account_assignments
        if not (
            a.instance_arn in instances
            and a.principal_type == "USER"
            and a.principal_id == user_id
        )
    ]


def _delete_group(self, identity_store_id, group_id):
    """Delete a group together with its memberships.

    AWS removes the memberships of a deleted group; moto keeps listing them,
    even through ListGroupMemberships on the deleted group. AWS does NOT remove
    the group's account assignments: they remain as orphaned assignments, and
    so they do here.
    """
    _original_delete_group(self, identity_store_id, group_id)
    store = self.identity_stores[identity_store_id]
    for membership_id, m in list(store.group_memberships.items()):
        if m["GroupId"] == group_id:
            del store.group_memberships[membership_id]


def _create_group_membership(self, identity_store_id, group_id, member_id):
    """Create a membership, refusing a duplicate.

    AWS answers ConflictException when the user already belongs to the group;
    moto stores a second membership, which a reader would then count twice.
    """
    store = self._IdentityStoreBackend__get_identity_store(identity_store_id)
    user_id = (member_id or {}).get("UserId")
    for m in store.group_memberships.values():
        if m["GroupId"] == group_id and m["MemberId"].get("UserId") == user_id:
            raise IdentityStoreConflict(
                message="Member already exists in the group.",
                reason="UNIQUENESS_CONSTRAINT_VIOLATION",
            )
    return _original_create_membership(self, identity_store_id, group_id, member_id)


def _get_group_membership_id(self):
    """Find the membership of one user in one group (moto 5.2.1 lacks it).

    AWS answers ResourceNotFoundException when the user is not a member.
    Without it, removing one user from a group through the Identity Store
    cannot be tested.
    """
    store = self.identitystore_backend._IdentityStoreBackend__get_identity_store(
        self._get_param("IdentityStoreId")
    )
    group_id = self._get_param("GroupId")
    user_id = (self._get_param("MemberId") or {}).get("UserId")
    for m in store.group_memberships.values():
        if m["GroupId"] == group_id and m["MemberId"].get("UserId") == user_id:
            return json.dumps(
                {
                    "MembershipId": m["MembershipId"],
                    "IdentityStoreId": self._get_param("IdentityStoreId"),
                }
            )
    raise IdentityStoreNotFound(
        message="Member does not belong to the group.",
        resource_type="GROUP_MEMBERSHIP",
    )


IdentityStoreResponse.get_group_membership_id = _get_group_membership_id

IdentityStoreBackend.delete_user = _delete_user
IdentityStoreBackend.delete_group = _delete_group
IdentityStoreBackend.create_group_membership = _create_group_membership

IdentityStoreResponse.call_action = _guarded_call_action("identitystore")(
    IdentityStoreResponse.call_action
)


# ---------------------------------------------------------------------------
# SSO Admin.
# ---------------------------------------------------------------------------

_PAGES = {
    "awsidc_list_provisioned_sets": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 100,
        "unique_attribute": "Arn",
    },
    "awsidc_list_provisioned_accounts": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 100,
        "unique_attribute": "AccountId",
    },
}


def _check_instance(self):
    """Fail a request naming an instance this account does not have.

    AWS answers an error for an InstanceArn that is not an instance of the
    caller's organisation; moto filters by it and lists nothing, which would
    hide passing the wrong ARN.
    """
    if self._get_action() == "ListInstances":
        return None
    instance_arn = self._get_param("InstanceArn")
    if instance_arn is None:
        return None
    known = {i.instance_arn for i in self.ssoadmin_backend.instances}
    if instance_arn in known:
        return None
    return _error(400, "ResourceNotFoundException", f"Instance {instance_arn} not found.")


def _provisioned(backend, instance_arn):
    """Map each existing permission set ARN to the accounts it is provisioned to."""
    existing = {
        p.permission_set_arn
        for p in backend.permission_sets
        if p.instance_arn == instance_arn
    }
    pairs = {
        (a.permission_set_arn, a.target_id)
        for a in backend.account_assignments
        if a.instance_arn == instance_arn and a.target_type == "AWS_ACCOUNT"
    }
    pairs |= {
        (ps, account)
        for inst, ps, account in getattr(backend, "awsidc_provisions", set())
        if inst == instance_arn
    }
    result = {}
    for ps, account in pairs:
        if ps in existing:
            result.setdefault(ps, set()).add(account)
    return result


@paginate(pagination_model=_PAGES)
def awsidc_list_provisioned_sets(self, instance_arn, account_id, provisioning_status):
    if provisioning_status == "LATEST_PERMISSION_SET_NOT_PROVISIONED":
        return []
    sets = _provisioned(self, instance_arn)
    return [{"Arn": ps} for ps in sorted(sets) if account_id in sets[ps]]


@paginate(pagination_model=_PAGES)
def awsidc_list_provisioned_accounts(
    self, instance_arn, permission_set_arn, provisioning_status
):
    if provisioning_status == "LATEST_PERMISSION_SET_NOT_PROVISIONED":
        return []
    accounts = _provisioned(self, instance_arn).get(permission_set_arn, set())
    return [{"AccountId": a} for a in sorted(accounts)]


SSOAdminBackend.awsidc_list_provisioned_sets = awsidc_list_provisioned_sets
SSOAdminBackend.awsidc_list_provisioned_accounts = awsidc_list_provisioned_accounts


def _list_permission_sets_provisioned_to_account(self):
    """List the permission sets provisioned to one account, paged.

    AWS provisions a permission set to an account when an assignment is
    created there (and on an explicit ProvisionPermissionSet with a TargetId).
    moto 5.2.1 only records explicit provisioning, ignores TargetId and
    AccountId and does not page, so both provisioning lists come out empty
    (or wrong) and a per-set or per-account crawl finds nothing. Here the lists
    are derived from the current assignments plus explicit provisioning;
    AccountId is honoured and MaxResults/NextToken page as in AWS.
    Every provisioned set counts as LATEST_PERMISSION_SET_PROVISIONED: moto
    does not model stale provisioning.
    """
    sets, token = self.ssoadmin_backend.awsidc_list_provisioned_sets(
        instance_arn=self._get_param("InstanceArn"),
        account_id=self._get_param("AccountId"),
        provisioning_status=self._get_param("ProvisioningStatus"),
        max_results=self._get_param("MaxResults"),
        next_token=self._get_param("NextToken"),
    )
    return json.dumps({"PermissionSets": [s["Arn"] for s in sets], "NextToken": token})


def _list_accounts_for_provisioned_permission_set(self):
    """List the accounts one permission set is provisioned to, paged.

    See _list_permission_sets_provisioned_to_account for why.
    """
    self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn")
    )
    accounts, token = self.ssoadmin_backend.awsidc_list_provisioned_accounts(
        instance_arn=self._get_param("InstanceArn"),
        permission_set_arn=self._get_param("PermissionSetArn"),
        provisioning_status=self._get_param("ProvisioningStatus"),
        max_results=self._get_param("MaxResults"),
        next_token=self._get_param("NextToken"),
    )
    return json.dumps(
        {"AccountIds": [a["AccountId"] for a in accounts], "NextToken": token}
    )


def _provision_permission_set(self):
    """Provision a permission set to the account named by TargetId.

    AWS provisions to TargetId (TargetType AWS_ACCOUNT), or re-provisions to
    every account that already has it (ALL_PROVISIONED_ACCOUNTS). moto ignores
    the target and records the caller's own account.
    """
    instance_arn = self._get_param("InstanceArn")
    permission_set_arn = self._get_param("PermissionSetArn")
    target_type = self._get_param("TargetType")
    target_id = self._get_param("TargetId")
    backend = self.ssoadmin_backend
    backend._find_permission_set(instance_arn, permission_set_arn)

    if not hasattr(backend, "awsidc_provisions"):
        backend.awsidc_provisions = set()
    if target_type == "AWS_ACCOUNT" and target_id:
        backend.awsidc_provisions.add((instance_arn, permission_set_arn, target_id))

    status = {
        "CreatedDate": sso_responses.unix_time(),
        "PermissionSetArn": permission_set_arn,
        "RequestId": str(sso_responses.uuid4()),
        "Status": "SUCCEEDED",
    }
    if target_type == "AWS_ACCOUNT" and target_id:
        status["AccountId"] = target_id
    return json.dumps({"PermissionSetProvisioningStatus": status})


SSOAdminResponse.list_permission_sets_provisioned_to_account = (
    _list_permission_sets_provisioned_to_account
)
SSOAdminResponse.list_accounts_for_provisioned_permission_set = (
    _list_accounts_for_provisioned_permission_set
)
SSOAdminResponse.provision_permission_set = _provision_permission_set

_original_create_assignment = SSOAdminBackend.create_account_assignment
_original_describe_creation = SSOAdminBackend.describe_account_assignment_creation_status


def _create_account_assignment(
    self,
    instance_arn,
    target_id,
    target_type,
    permission_set_arn,
    principal_type,
    principal_id,
):
    """Create an assignment, without a duplicate row for an existing one.

    Creating an assignment that already exists succeeds in AWS and leaves one
    assignment; moto appends a second identical row, which every assignment
    list then shows twice.
    """
    try:
        existing = self._find_account(
            instance_arn,
            target_id,
            target_type,
            permission_set_arn,
            principal_type,
            principal_id,
        )
    except SSONotFound:
        existing = None
    if existing is None:
        return _original_create_assignment(
            self,
            instance_arn,
            target_id,
            target_type,
            permission_set_arn,
            principal_type,
            principal_id,
        )

    # A new request for the same assignment: remember its id so that
    # DescribeAccountAssignmentCreationStatus answers for it.
    request = AccountAssignment(
        instance_arn,
        target_id,
        target_type,
        permission_set_arn,
        principal_type,
        principal_id,
    )
    if not hasattr(self, "awsidc_repeat_requests"):
        self.awsidc_repeat_requests = {}
    self.awsidc_repeat_requests[request.request_id] = request
    return request.to_json(include_creation_date=True, include_request_id=True)


def _describe_creation(self, account_assignment_creation_request_id, instance_arn):
    repeats = getattr(self, "awsidc_repeat_requests", {})
    if account_assignment_creation_request_id in repeats:
        return repeats[account_assignment_creation_request_id].to_json(
            include_creation_date=True, include_request_id=True
        )
    return _original_describe_creation(
        self, account_assignment_creation_request_id, instance_arn
    )


SSOAdminBackend.create_account_assignment = _create_account_assignment
SSOAdminBackend.describe_account_assignment_creation_status = _describe_creation


@paginate(pagination_model=sso_models.PAGINATION_MODEL)
def list_account_assignments_for_principal(
    self, filter_, instance_arn, principal_id, principal_type
):
    """List a principal's assignments, a user's group-derived ones included.

    For PrincipalType USER, AWS also returns the assignments the user holds
    through its groups, as rows with PrincipalType GROUP and the group's id
    (aws-samples/list-user-permissions-for-aws-idc relies on this; the API
    reference only says it lists what "the principal has access to"). moto
    returns exact principal matches only.
    """
    principals = {(principal_type, principal_id)}
    if principal_type == "USER":
        store_ids = {
            i.identity_store_id for i in self.instances if i.instance_arn == instance_arn
        }
        identity = _idstore_backend(self.account_id, self.region_name)
        for store_id in store_ids:
            store = identity.identity_stores.get(store_id)
            if store is None:
                continue
            for m in store.group_memberships.values():
                if m["MemberId"].get("UserId") == principal_id:
                    principals.add(("GROUP", m["GroupId"]))

    account_filter = (filter_ or {}).get("AccountId")
    return [
        {
            "AccountId": a.target_id,
            "PermissionSetArn": a.permission_set_arn,
            "PrincipalId": a.principal_id,
            "PrincipalType": a.principal_type,
        }
        for a in self.account_assignments
        if a.instance_arn == instance_arn
        and (a.principal_type, a.principal_id) in principals
        and (account_filter is None or account_filter == a.target_id)
    ]


SSOAdminBackend.list_account_assignments_for_principal = (
    list_account_assignments_for_principal
)

_original_create_set = SSOAdminBackend.create_permission_set
_original_update_set = SSOAdminBackend.update_permission_set


def _create_permission_set(self, name, description, instance_arn, session_duration,
                           relay_state, tags):
    """Create a permission set whose default session duration is "PT1H".

    AWS defaults SessionDuration to the ISO-8601 string "PT1H"; moto stores the
    integer 3600, which the Go SDK cannot decode, so every later
    DescribePermissionSet of that set fails.
    """
    if session_duration is None or isinstance(session_duration, int):
        session_duration = "PT1H"
    return _original_create_set(
        self, name, description, instance_arn, session_duration, relay_state, tags
    )


def _update_permission_set(self, instance_arn, permission_set_arn, description,
                           session_duration, relay_state):
    """Update a permission set, keeping the fields the request leaves out.

    AWS changes only the fields given; moto resets an omitted SessionDuration
    to the integer 3600 (see above) and omitted texts to null.
    """
    current = self._find_permission_set(instance_arn, permission_set_arn)
    if session_duration is None or isinstance(session_duration, int):
        session_duration = current.session_duration
    if description is None:
        description = current.description
    if relay_state is None:
        relay_state = current.relay_state
    return _original_update_set(
        self, instance_arn, permission_set_arn, description, session_duration,
        relay_state,
    )


SSOAdminBackend.create_permission_set = _create_permission_set
SSOAdminBackend.update_permission_set = _update_permission_set


def _put_permissions_boundary(self):
    """Attach a permissions boundary (moto 5.2.1 lacks the three boundary calls).

    Without them GetPermissionsBoundaryForPermissionSet answers HTTP 500 and a
    reader of permission set policies cannot be tested at all.
    """
    ps = self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn")
    )
    boundary = self._get_param("PermissionsBoundary") or {}
    reference = boundary.get("CustomerManagedPolicyReference")
    if reference is not None and "Path" not in reference:
        reference = dict(reference, Path="/")
        boundary = dict(boundary, CustomerManagedPolicyReference=reference)
    ps.awsidc_boundary = boundary
    return json.dumps({})


def _get_permissions_boundary(self):
    """Return the boundary; AWS answers ResourceNotFoundException when none is set."""
    ps = self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn")
    )
    boundary = getattr(ps, "awsidc_boundary", None)
    if not boundary:
        ps_id = ps.permission_set_arn.split("/")[-1]
        raise SSONotFound(f"Could not find PermissionsBoundary for {ps_id}")
    return json.dumps({"PermissionsBoundary": boundary})


def _delete_permissions_boundary(self):
    ps = self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("PermissionSetArn")
    )
    if not getattr(ps, "awsidc_boundary", None):
        ps_id = ps.permission_set_arn.split("/")[-1]
        raise SSONotFound(f"Could not find PermissionsBoundary for {ps_id}")
    ps.awsidc_boundary = None
    return json.dumps({})


SSOAdminResponse.put_permissions_boundary_to_permission_set = _put_permissions_boundary
SSOAdminResponse.get_permissions_boundary_for_permission_set = _get_permissions_boundary
SSOAdminResponse.delete_permissions_boundary_from_permission_set = (
    _delete_permissions_boundary
)

def _list_tags_for_resource(self):
    """List a permission set's tags (moto 5.2.1 lacks ListTagsForResource).

    Without it the call answers HTTP 500, which a reader of permission set
    policies rightly treats as a failure, so no policy read could be tested.
    The tags are those given to CreatePermissionSet or TagResource.
    """
    ps = self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("ResourceArn")
    )
    return json.dumps({"Tags": list(ps.tags or [])})


def _tag_resource(self):
    """Add or replace tags on a permission set (moto 5.2.1 lacks TagResource)."""
    ps = self.ssoadmin_backend._find_permission_set(
        self._get_param("InstanceArn"), self._get_param("ResourceArn")
    )
    tags = {t["Key"]: t.get("Value", "") for t in (ps.tags or [])}
    for t in self._get_param("Tags") or []:
        tags[t["Key"]] = t.get("Value", "")
    ps.tags = [{"Key": k, "Value": v} for k, v in tags.items()]
    return json.dumps({})


SSOAdminResponse.list_tags_for_resource = _list_tags_for_resource
SSOAdminResponse.tag_resource = _tag_resource

SSOAdminResponse.call_action = _guarded_call_action("sso-admin", _check_instance)(
    SSOAdminResponse.call_action
)


# ---------------------------------------------------------------------------
# Organizations.
# ---------------------------------------------------------------------------

# AWS pages ListAccounts by at most 20; moto by 100, so a caller that ignores
# NextToken passes with up to 100 accounts. moto also keys its page token on
# JoinedTimestamp, which two accounts can share; the account id is unique.
org_utils.PAGINATION_MODEL["list_accounts"]["limit_default"] = 20
org_utils.PAGINATION_MODEL["list_accounts"]["unique_attribute"] = "Id"

_original_list_accounts = OrganizationsBackend.list_accounts
_original_describe_account = OrganizationsBackend.describe_account


def _require_organization(backend):
    """Fail like AWS when the caller's account belongs to no organisation.

    AWS answers AWSOrganizationsNotInUseException; moto lists no accounts,
    which a reader would take for an empty organisation.
    """
    members = org_models.organizations_backends.master_accounts
    if backend.org is None and backend.account_id not in members:
        raise AWSOrganizationsNotInUseException


def _list_accounts(self, *args, **kwargs):
    _require_organization(self)
    return _original_list_accounts(self, *args, **kwargs)


def _describe_account(self, **kwargs):
    _require_organization(self)
    return _original_describe_account(self, **kwargs)


OrganizationsBackend.list_accounts = _list_accounts
OrganizationsBackend.describe_account = _describe_account

OrganizationsResponse.call_action = _guarded_call_action("organizations")(
    OrganizationsResponse.call_action
)


def main(argv):
    if moto.__version__ != MOTO_VERSION:
        print(
            f"launch.py: patches written for moto {MOTO_VERSION}, found {moto.__version__}",
            file=sys.stderr,
        )
    port = int(argv[1]) if len(argv) > 1 else 0
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"http://127.0.0.1:{port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
