"""The CRM's only public entry point: REST + JSON over the services' gRPC APIs."""
