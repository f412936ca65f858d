{
  "targets": [
    {
      "target_name": "vpdn_io",
      "sources": [
        "native/addon.c",
        "native/gre.c",
        "native/port.c",
        "native/tun.c",
        "native/util.c"
      ],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "cflags_c": ["-std=gnu11", "-Wall", "-Wextra", "-O2"]
    }
  ]
}
