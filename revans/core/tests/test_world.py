from revans.sets.access import Need, access_set_for_user


def test_personas_have_the_roles_the_matrix_assumes(world):
    role = access_set_for_user(world.facilitator, world.set_a.id, Need.MANAGE)
    assert role.is_facilitator and role.can_manage
    assert access_set_for_user(world.member, world.set_a.id, Need.SET_PAGE).is_member
    assert access_set_for_user(world.sponsor, world.set_a.id, Need.SCHEDULE).is_sponsor
    assert access_set_for_user(world.admin, world.set_a.id, Need.MANAGE).is_org_admin
