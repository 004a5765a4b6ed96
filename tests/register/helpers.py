"""Register files for the tests, built from the test world's organisations."""

HEADER = "her_id,parent_her_id,kind,name,org_number,receives"


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def world_register(world, *, municipality_unit_receives: str = "discharge_summary;dialogue") -> bytes:
    """The hospital, the municipality and a unit of the municipality, by their HER-ids in the world."""
    return csv_text(
        f"{world.hospital.her_id},,organisation,{world.hospital.name},,dialogue",
        f"{world.municipality.her_id},,organisation,{world.municipality.name},,dialogue",
        f"7000011,{world.municipality.her_id},unit,Hjemmetjenesten,,{municipality_unit_receives}",
        f"{world.bystander_org.her_id},,organisation,{world.bystander_org.name},,dialogue",
        "7000021," + world.bystander_org.her_id + ",unit,Sidevik sykehjem,,discharge_summary",
    ).encode()
